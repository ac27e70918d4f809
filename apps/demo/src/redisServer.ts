import { type ChildProcess, spawn } from "node:child_process"
import { accessSync, constants } from "node:fs"
import { connect, createServer } from "node:net"
import { delimiter, join } from "node:path"

/** A `redis-server` this process started on a free loopback port, keeping nothing on disk. */
export interface DemoRedis {
  readonly pid: number
  readonly port: number
  readonly url: string
  /** Kills the server and waits until it is gone. Idempotent. */
  readonly stop: () => Promise<void>
}

/** What to print when `redis-server` is not on PATH. */
export const REDIS_MISSING = `redis-server is not on PATH, so the campaign demo cannot run (it needs a local Redis).
Install it and run the command again:
  Debian/Ubuntu: sudo apt-get install redis-server
  macOS:         brew install redis`

/** redis-server could not start or did not answer PING; the message holds its output. */
export class RedisStartError extends Error {}

const START_TIMEOUT = 20_000

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

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))
      )
    })
  })

/** One PING over a raw connection: true when the server answered +PONG. */
const ping = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" })
    let answer = ""
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once("error", () => done(false))
    socket.once("connect", () => socket.write("PING\r\n"))
    socket.on("data", (chunk) => {
      answer += chunk.toString()
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"))
    })
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const startOnce = async (): Promise<DemoRedis> => {
  const port = await freePort()
  // No RDB snapshots, no AOF: the server keeps nothing on disk, which is why the demo is only a demo.
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] }
  )
  let output = ""
  const collect = (chunk: Buffer) => {
    // Only the start matters for an error message; later lines are drained, not kept.
    if (output.length < 8192) output += chunk.toString()
  }
  child.stdout?.on("data", collect)
  child.stderr?.on("data", collect)
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()))
  let spawnError: Error | undefined
  child.once("error", (error) => {
    spawnError = error
  })
  // If this process dies without stopping the server (an uncaught error), the server goes too.
  const killOnExit = () => child.kill("SIGKILL")
  process.once("exit", killOnExit)
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && spawnError === undefined) child.kill("SIGTERM")
    await exited
    process.removeListener("exit", killOnExit)
  }
  const deadline = Date.now() + START_TIMEOUT
  while (!(await ping(port))) {
    const gone = spawnError !== undefined || child.exitCode !== null || child.signalCode !== null
    if (gone || Date.now() > deadline) {
      await stop()
      const why = spawnError?.message ?? (gone ? `exited with ${child.exitCode}` : `no PONG in ${START_TIMEOUT} ms`)
      throw new RedisStartError(`redis-server on port ${port} did not start (${why}):\n${output.trim()}`)
    }
    await sleep(50)
  }
  return { pid: child.pid as number, port, url: `redis://127.0.0.1:${port}`, stop }
}

/** Starts `redis-server` on a free loopback port and waits for PING; tries another port if that one was taken meanwhile. */
export const startDemoRedis = async (): Promise<DemoRedis> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce()
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("Address already in use")) throw error
    }
  }
}
