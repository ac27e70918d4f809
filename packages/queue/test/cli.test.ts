import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startCli } from "./support/cli.js"
import { BUSINESS, customer, openWindows, type Servers, startServers } from "./support/setup.js"

let servers: Servers
let dir: string

beforeAll(async () => {
  servers = await startServers()
  dir = mkdtempSync(join(tmpdir(), "oneroute-queue-cli-"))
})
afterAll(async () => {
  await servers?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  startCli(args, { REDIS_URL: servers.redis.url, ...env })
const run = (...args: ReadonlyArray<string>) => start(args).done

describe("the oneroute-queue CLI", () => {
  it("enqueues a CSV and a JSON Lines file, sends with a worker, shows status, review and resolve", async () => {
    openWindows(servers.emulator, 10)
    const csv = join(dir, "customers.csv")
    writeFileSync(
      csv,
      [
        "key,to,message,template,parameters",
        `a,${customer(0)},"Hello, friend",,`,
        `b,${customer(1)},,order_update,A1|shipped`,
        `c,not-a-number,hi,,`,
        `d,${customer(2)},"unterminated`,
        ""
      ].join("\n")
    )
    const enqueued = await run(
      "enqueue",
      "--best-effort",
      "--queue",
      "cli",
      "--campaign",
      "cli",
      "--from",
      BUSINESS,
      csv
    )
    expect(enqueued.code).toBe(0)
    // The unterminated quote swallows the rest of the file: one record cannot be read.
    expect(JSON.parse(enqueued.stdout)).toMatchObject({ added: 2, invalidCount: 1, unreadable: 1 })

    const jsonl = join(dir, "more.jsonl")
    writeFileSync(
      jsonl,
      [
        JSON.stringify({ to: customer(3), message: "From JSON Lines" }),
        "{ not json",
        "",
        JSON.stringify({ to: customer(4), message: "x".repeat(2 * 1024 * 1024) }),
        JSON.stringify({ to: customer(5), message: "Last" })
      ].join("\n")
    )
    const more = await run("enqueue", "--best-effort", "--queue", "cli", "--campaign", "cli", "--from", BUSINESS, jsonl)
    expect(JSON.parse(more.stdout)).toMatchObject({ added: 2, invalidCount: 0, unreadable: 2 })

    servers.emulator.inject({ kind: "status", status: 500 })
    const worker = start(["worker", "--best-effort", "--queue", "cli", "--concurrency", "1"], {
      ONEROUTE_API_KEY: servers.emulator.apiKey,
      ONEROUTE_BASE_URL: servers.emulator.url
    })
    const watched = await run("status", "--best-effort", "--queue", "cli", "--campaign", "cli", "--watch")
    expect(watched.code).toBe(0)
    expect(watched.stdout).toMatch(/\[#+\] 100\.0% sent 3 not-sent 0 unknown 1 pending 0 of 4/)
    worker.child.kill("SIGTERM")
    expect((await worker.done).code).toBe(0)

    const review = await run("review", "--best-effort", "--queue", "cli", "--campaign", "cli")
    const parked = review.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
    expect(parked).toHaveLength(1)
    expect(parked[0]).toMatchObject({ key: "a", reason: "ServerError" })

    expect(
      (await run("resolve", "--best-effort", "--queue", "cli", "--campaign", "cli", "--key", "a", "--as", "sent")).code
    ).toBe(0)
    const status = await run("status", "--best-effort", "--queue", "cli", "--campaign", "cli")
    expect(JSON.parse(status.stdout)).toEqual({ total: 4, sent: 4, notSent: 0, unknown: 0, pending: 0 })
    const again = await run(
      "resolve",
      "--best-effort",
      "--queue",
      "cli",
      "--campaign",
      "cli",
      "--key",
      "a",
      "--as",
      "sent"
    )
    expect(again.code).toBe(1)
    expect(again.stderr).toContain("is not parked")
  })

  it("refuses bad usage with exit code 2 and no stack", async () => {
    for (const args of [
      ["enqueue", "--campaign", "x", "--from", BUSINESS],
      ["resolve", "--campaign", "x", "--key", "k", "--as", "maybe"],
      ["launch"],
      ["status", "--unknown-flag"],
      ["worker", "--concurrency", "0"]
    ]) {
      const result = await run(...args)
      expect(result.code, args.join(" ")).toBe(2)
      expect(result.stderr).toContain("Usage: oneroute-queue")
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it("takes one store: --redis and --postgres together, or neither (and no REDIS_URL), is a usage error", async () => {
    const both = await run("status", "--campaign", "x", "--redis", servers.redis.url, "--postgres", "postgres://x")
    expect(both.code).toBe(2)
    expect(both.stderr).toContain("Give --redis or --postgres, not both")
    const commands = ["enqueue", "worker", "status", "review", "resolve"]
    const runs = await Promise.all(commands.map((command) => startCli([command], { REDIS_URL: "" }).done))
    for (const [i, neither] of runs.entries()) {
      expect(neither.code, commands[i]).toBe(2)
      expect(neither.stderr).toContain("Give --redis URL (or set REDIS_URL) or --postgres URL")
    }
  })
})
