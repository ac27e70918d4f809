/**
 * A real `redis-server` (Debian's, from PATH) on a free loopback port, for tests, benches and
 * demos of the Redis store and `@oneroute/queue`: Node only.
 *
 * @since 0.4.0
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

/**
 * A running server.
 *
 * @since 0.4.0
 */
export interface RedisServer {
  /** Its loopback port. */
  readonly port: number
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string
  /** The process id of the server running now (a restart starts another). */
  readonly pid: number
  /** Kills the server (SIGKILL, as in a crash) and starts it again on the same port and directory. */
  readonly restart: () => Promise<void>
  /** Stops the server (SIGKILL: Redis goes away as in a crash) and removes its directory. Idempotent. */
  readonly stop: () => Promise<void>
}

/**
 * Options of {@link startRedis}.
 *
 * @since 0.4.0
 */
export interface RedisServerOptions {
  /**
   * `true`: AOF with `appendfsync always` in the server's own directory, so a restart keeps
   * every write. Default `false`: no persistence at all, so a restart comes back empty.
   */
  readonly durable?: boolean
  /** More `redis-server` arguments, such as `["--maxmemory", "64mb"]`. */
  readonly args?: ReadonlyArray<string>
  /** How long the server may take to say it is ready, in milliseconds. Default 60000 (a busy machine). */
  readonly startTimeoutMs?: number
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

interface Child {
  /** Its process id. */
  readonly pid: number
  /** SIGKILLs the process and waits for its exit. Idempotent. */
  readonly kill: () => Promise<void>
}

/** Spawns redis-server and waits for "Ready to accept connections". */
const spawnServer = async (args: ReadonlyArray<string>, startTimeoutMs: number): Promise<Child> => {
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] })
  running.add(child)
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  let output = ""
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
    await exited
    running.delete(child)
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start within ${startTimeoutMs} ms:\n${output}`)),
        startTimeoutMs
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
        reject(new Error(`redis-server could not start (run "node scripts/ensure-system.mjs"): ${error.message}`))
      })
      child.once("exit", (code) => {
        clearTimeout(timer)
        // Only before "ready" (after it, this promise is settled and the rejection is ignored).
        reject(new Error(`redis-server exited with ${code}:\n${output}`))
      })
    })
  } catch (error) {
    await kill()
    throw error
  }
  child.stdout?.resume()
  child.stderr?.resume()
  return { pid: child.pid ?? -1, kill }
}

const argsOf = (port: number, dir: string, options: RedisServerOptions): Array<string> => [
  "--port",
  String(port),
  "--bind",
  "127.0.0.1",
  "--save",
  "",
  "--dir",
  dir,
  ...(options.durable === true ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
  ...(options.args ?? [])
]

const startOnce = async (options: RedisServerOptions): Promise<RedisServer> => {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), "oneroute-redis-"))
  let child: Child
  try {
    child = await spawnServer(argsOf(port, dir, options), options.startTimeoutMs ?? 60_000)
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  let stopped = false
  const restart = async () => {
    // Without persistence the server comes back empty (a SIGKILLed redis-server saves nothing),
    // unless a test wrote a snapshot itself (SAVE).
    await child.kill()
    // The same port: the old process is gone, and redis-server listens with SO_REUSEADDR.
    child = await spawnServer(argsOf(port, dir, options), options.startTimeoutMs ?? 60_000)
  }
  const stop = async () => {
    await child.kill()
    if (!stopped) rmSync(dir, { recursive: true, force: true })
    stopped = true
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.pid
    },
    restart,
    stop
  }
}

/**
 * Starts a server (no persistence unless `durable`); tries another port when the free one was
 * taken in the meantime. Rejects when `redis-server` is missing or does not start.
 *
 * @since 0.4.0
 */
export const startRedis = async (options: RedisServerOptions = {}): Promise<RedisServer> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options)
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("Address already in use")) throw error
    }
  }
}
