import { spawn } from "node:child_process"
import { connect } from "node:net"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { CAMPAIGN_HELP, parseCommand } from "../src/cli.js"
import { runCli, writeInput } from "./run.js"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false
    throw error
  }
}

/** Whether something still accepts connections on the loopback port. */
const listening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" })
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
  })

const started = (stdout: string) => {
  const match = /Started redis-server \(pid (\d+)\) at redis:\/\/127\.0\.0\.1:(\d+)\./.exec(stdout)
  expect(match, stdout).not.toBeNull()
  return { pid: Number(match?.[1]), port: Number(match?.[2]) }
}

describe("parseCommand campaign", () => {
  it("parses --file, --size and --yes", () => {
    expect(parseCommand(["campaign"])).toEqual({ kind: "campaign", file: undefined, size: undefined, yes: false })
    expect(parseCommand(["campaign", "--size", "30", "--yes"])).toEqual({
      kind: "campaign",
      file: undefined,
      size: 30,
      yes: true
    })
    expect(parseCommand(["campaign", "--file", "a.csv"])).toMatchObject({ file: "a.csv", size: undefined })
    expect(parseCommand(["campaign", "-h"])).toEqual({ kind: "help", text: CAMPAIGN_HELP })
  })

  it.each([
    [["campaign", "--size", "0"], /1 to 100000 \(got 0\)/],
    [["campaign", "--size", "100001"], /1 to 100000/],
    [["campaign", "--size", "1e3x"], /1 to 100000/],
    [["campaign", "--size", ""], /1 to 100000/],
    [["campaign", "--file", "a.csv", "--size", "3"], /not both/],
    [["campaign", "--to", "1"], /Unknown option '--to'/],
    [["campaign", "stray"], /Unexpected argument 'stray'/]
  ])("%j is a usage error", (args, message) => {
    expect(parseCommand(args)).toEqual({
      kind: "usage",
      command: "oneroute-demo campaign",
      message: expect.stringMatching(message)
    })
  })
})

describe("the built CLI's campaign", () => {
  it("sends 30 generated recipients through a local redis-server and the emulator, then stops redis-server", async () => {
    const run = await runCli(["campaign", "--size", "30"])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain("keeps nothing on disk")
    expect(run.stdout).toContain("Queued 30; invalid 0; unreadable 0.")
    expect(run.stdout).toContain("Totals: 30 recipients, 30 sent, 0 not sent, 0 parked, 0 pending.")
    expect(run.stdout).toContain("Review: nothing parked.")
    expect(run.stderr).toContain("[##########] 30/30 sent 30 failed 0")
    const redis = started(run.stdout)
    expect(isRunning(redis.pid)).toBe(false)
    expect(await listening(redis.port)).toBe(false)
  })

  it("sends a CSV's session and template messages, and reports rows it cannot queue", async () => {
    const path = writeInput(
      "campaign.csv",
      [
        "to,message,template,parameters",
        "+234 802 555 0001,Hello,,",
        "2348025550002,,order_update,Ada|#1",
        "not a number,Hello,,",
        // One field too many: csv-parse skips the record, counted as unreadable.
        "2348025550003,Hi,,,extra"
      ].join("\n")
    )
    const run = await runCli(["campaign", "--file", path])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Queued 2; invalid 1; unreadable 1\./)
    expect(run.stdout).toContain("Totals: 2 recipients, 2 sent, 0 not sent, 0 parked, 0 pending.")
    expect(isRunning(started(run.stdout).pid)).toBe(false)
  })

  it("counts a template OneRoute refuses as not sent, with exit code 1", async () => {
    // A template the emulator does not know: refused, certainly not sent.
    const path = writeInput("unknown.csv", "to,template\n2348025550004,no_such_template\n2348025550005,hello_world\n")
    const run = await runCli(["campaign", "--file", path])
    expect(run.code, run.stdout).toBe(1)
    expect(run.stdout).toContain("Totals: 2 recipients, 1 sent, 1 not sent, 0 parked, 0 pending.")
    expect(isRunning(started(run.stdout).pid)).toBe(false)
  })

  it("refuses the real OneRoute without --yes, before starting anything", async () => {
    const run = await runCli(["campaign", "--size", "3"], {
      ONEROUTE_API_KEY: "sk_test_never_used",
      ONEROUTE_BASE_URL: "http://127.0.0.1:9",
      ONEROUTE_DEMO_FROM: "2348000000001"
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("run it again with --yes")
    expect(run.stdout).not.toContain("redis-server")
    expect(`${run.stdout}${run.stderr}`).not.toContain("sk_test_never_used")
  })

  it("says how to install redis-server when it is not on PATH, with exit code 0", async () => {
    const run = await runCli(["campaign", "--size", "3"], { PATH: "/nonexistent" })
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining("apt-get install redis-server") })
  })

  it("reports a file it cannot read as a usage error", async () => {
    const run = await runCli(["campaign", "--file", "/nonexistent/recipients.csv"])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("cannot read /nonexistent/recipients.csv")
  })
})

describe("Ctrl-C during a campaign", () => {
  it("stops importing, closes the worker and stops redis-server, with exit code 130", async () => {
    // Past enqueue's 10,000 waiting jobs, so the import only ends because the worker drains the
    // queue meanwhile; the signal arrives mid-import, far from done even on a fast machine.
    const child = spawn(process.execPath, [main, "campaign", "--size", "30000"], {
      env: { PATH: process.env.PATH },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)))
    child.stdout.on("data", (chunk: Buffer) => {
      const before = stdout
      stdout += chunk.toString()
      if (!before.includes("Queueing ") && stdout.includes("Queueing ")) child.kill("SIGINT")
    })
    const code = await exited
    expect(code, `${stdout}\n${stderr}`).toBe(130)
    expect(stderr).toContain("Interrupted")
    const totals = /Totals: (\d+) recipients, (\d+) sent, 0 not sent, 0 parked, (\d+) pending\./.exec(stdout)
    expect(totals, stdout).not.toBeNull()
    // Stopped early: not every recipient was read, or not every one was sent.
    expect(Number(totals?.[2])).toBeLessThan(30_000)
    const redis = started(stdout)
    expect(isRunning(redis.pid)).toBe(false)
    expect(await listening(redis.port)).toBe(false)
  })
})
