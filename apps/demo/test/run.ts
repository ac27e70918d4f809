import { execFile } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { childProcessTimeout } from "../../../vitest.shared.js"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built CLI in a child process (stdout and stderr are pipes, so not TTYs). */
export const runCli = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [main, ...args],
      { env: { PATH: process.env.PATH, ...env }, timeout: childProcessTimeout },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") reject(error)
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr })
      }
    )
  })

const dir = mkdtempSync(join(tmpdir(), "oneroute-demo-"))

/** Writes `text` to a fresh file named `name` and returns its path. */
export const writeInput = (name: string, text: string): string => {
  const path = join(mkdtempSync(join(dir, "input-")), name)
  writeFileSync(path, text)
  return path
}

/** The JSON lines a `send --file` run printed on stdout. */
export const outcomes = (run: Run): Array<Record<string, unknown>> =>
  run.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>)
