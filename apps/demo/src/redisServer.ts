import { accessSync, constants } from "node:fs"
import { delimiter, join } from "node:path"

/** What to print when `redis-server` is not on PATH. */
export const REDIS_MISSING = `redis-server is not on PATH, so the campaign demo cannot run (it needs a local Redis).
Install it and run the command again:
  Debian/Ubuntu: sudo apt-get install redis-server
  macOS:         brew install redis`

/** Whether an executable named `name` is in one of PATH's directories. */
export const onPath = (name: string, path: string | undefined): boolean =>
  (path ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "")
    .some((dir) => {
      try {
        accessSync(join(dir, name), constants.X_OK)
        return true
      } catch {
        return false
      }
    })
