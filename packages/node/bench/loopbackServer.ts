import { spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"

/** Starts `loopbackServer.mjs` in a child process; `stop()` ends it. */
export const startLoopbackServer = async () => {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./loopbackServer.mjs", import.meta.url))], {
    stdio: ["pipe", "pipe", "inherit"]
  })
  const [portLine] = (await once(child.stdout, "data")) as [Buffer]
  return { url: `http://127.0.0.1:${portLine.toString().trim()}`, stop: () => child.stdin.end() }
}

export const CONCURRENCY = 64
export const BATCH = 640
export const options = { time: 3000, warmupTime: 500 }

/** Runs `task` BATCH times with CONCURRENCY workers. */
export const pool = async (task: () => Promise<unknown>) => {
  let remaining = BATCH
  const worker = async () => {
    while (remaining-- > 0) await task()
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}
