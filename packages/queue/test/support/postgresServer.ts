import { type ChildProcess, execFile, spawn } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir, userInfo } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { childProcessTimeout } from "../../../../vitest.shared.js"

/** A throwaway PostgreSQL (Debian's postgresql-15) on a free loopback port, started for a test file. */
export interface PostgresServer {
  readonly url: string
  /** Kills the server (SIGKILL, a crash) and starts it again on the same data directory and port. */
  readonly restart: () => Promise<void>
  /** Stops the server (SIGKILL) and removes its directory. Idempotent. */
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
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL")
})

/** Debian's postgresql-15 keeps its programs off PATH (pg_wrapper links only some of them). */
const DEBIAN_BIN = "/usr/lib/postgresql/15/bin"
const program = (name: string): string => (existsSync(join(DEBIAN_BIN, name)) ? join(DEBIAN_BIN, name) : name)

// PostgreSQL refuses to run as root: as root, it runs as the postgres user.
const asServerUser = (command: string, args: ReadonlyArray<string>): [string, Array<string>] =>
  userInfo().uid === 0
    ? ["runuser", ["-u", "postgres", "--", program(command), ...args]]
    : [program(command), [...args]]

interface Running {
  readonly child: ChildProcess
  readonly exited: Promise<void>
}

/** Starts postgres on an initialised data directory and waits until it accepts connections. */
const launch = async (dir: string, data: string, port: number): Promise<Running> => {
  const [postgres, args] = asServerUser("postgres", [
    "-D",
    data,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    `unix_socket_directories=${dir}`
  ])
  const child = spawn(postgres, args, { stdio: ["ignore", "pipe", "pipe"] })
  running.add(child)
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child)
      resolve()
    })
  )
  let output = ""
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`postgres did not start:\n${output}`)), childProcessTimeout)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes("ready to accept connections")) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on("data", onData)
    child.stderr?.on("data", onData)
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`postgres exited with ${code}:\n${output}`))
    })
  })
  return { child, exited }
}

/**
 * SIGKILLs the postmaster itself: as root the child is runuser, which a SIGKILL would leave
 * postgres orphaned behind.
 */
const kill = async ({ child, exited }: Running, data: string) => {
  if (child.exitCode === null && child.signalCode === null) {
    const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0])
    process.kill(pid, "SIGKILL")
  }
  await exited
}

export const startPostgres = async (): Promise<PostgresServer> => {
  const dir = mkdtempSync(join(tmpdir(), "oneroute-pg-"))
  const data = join(dir, "data")
  if (userInfo().uid === 0) {
    const { stdout } = await promisify(execFile)("id", ["-u", "postgres"])
    const [uid, gid] = [
      Number(stdout.trim()),
      Number((await promisify(execFile)("id", ["-g", "postgres"])).stdout.trim())
    ]
    chownSync(dir, uid, gid)
  }
  try {
    const [initdb, initArgs] = asServerUser("initdb", ["-A", "trust", "-U", "postgres", "-D", data, "--no-sync"])
    await promisify(execFile)(initdb, initArgs, { timeout: childProcessTimeout }).catch((error: Error) => {
      throw new Error(`initdb failed (apt-get install -y postgresql-15): ${error.message}`)
    })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const port = await freePort()
  let server = await launch(dir, data, port)
  let stopped = false
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: async () => {
      await kill(server, data)
      // Its backends notice the postmaster's death on their own; until then the data is in use.
      for (let attempt = 1; ; attempt++) {
        try {
          server = await launch(dir, data, port)
          return
        } catch (error) {
          if (attempt === 20) throw error
          await new Promise((resolve) => setTimeout(resolve, 250))
        }
      }
    },
    stop: async () => {
      await kill(server, data)
      if (!stopped) rmSync(dir, { recursive: true, force: true })
      stopped = true
    }
  }
}
