import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { childProcessTimeout } from "../../../../vitest.shared.js"

/** A real `redis-server` on a free loopback port, with no persistence, started for a test file. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Stops the server (SIGKILL: Redis goes away as in a crash). Idempotent. */
  readonly stop: () => Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()))
    })
  })

const running = new Set<ChildProcess>()
// A crashed test run must not leave servers behind.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL")
})

const startOnce = async (): Promise<RedisServer> => {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), "oneroute-redis-"))
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: ["ignore", "pipe", "pipe"] }
  )
  running.add(child)
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  let output = ""
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
    await exited
    running.delete(child)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start within ${childProcessTimeout} ms:\n${output}`)),
        childProcessTimeout
      )
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer)
          child.stdout?.off("data", onData)
          child.stderr?.off("data", onData)
          resolve()
        }
      }
      child.stdout?.on("data", onData)
      child.stderr?.on("data", onData)
      child.once("error", (error) => {
        clearTimeout(timer)
        reject(new Error(`redis-server could not start (run "node scripts/ensure-redis.mjs"): ${error.message}`))
      })
      child.once("exit", (code) => {
        clearTimeout(timer)
        // Only before "ready" (after it, this promise is settled and the rejection is ignored).
        reject(new Error(`redis-server exited with ${code}:\n${output}`))
      })
    })
  } catch (error) {
    await stop()
    throw error
  }
  child.stdout?.resume()
  child.stderr?.resume()
  return { port, url: `redis://127.0.0.1:${port}`, stop }
}

/** Starts a server; tries another port when the free one was taken in the meantime. */
export const startRedis = async (): Promise<RedisServer> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce()
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("Address already in use")) throw error
    }
  }
}
