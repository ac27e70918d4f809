import { randomUUID } from "node:crypto"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Emulator, startEmulator } from "@oneroute/testkit"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeCampaigns, PostgresNotDurableError, type PostgresPool } from "../src/index.js"
import { makePostgresLedger, migrate, type PgQueryable } from "../src/internal/postgresLedger.js"
import { startCli } from "./support/cli.js"
import { type PostgresServer, startPostgres } from "./support/postgresServer.js"
import { BUSINESS, customer, duplicatesOf, eventually, openWindows, sendsPerRecipient } from "./support/setup.js"
import { forkWorker } from "./support/workerProcesses.js"

/** BullMQ's queries need its schema on the search_path. */
const poolOf = (connectionString: string) =>
  new pg.Pool({ connectionString, max: 20, options: "-c search_path=bullmq,public" })

let server: PostgresServer
let pool: pg.Pool
let emulator: Emulator

beforeAll(async () => {
  ;[server, emulator] = await Promise.all([startPostgres(), startEmulator()])
  pool = poolOf(server.url)
})
afterAll(async () => {
  await pool?.end()
  await emulator?.close()
  await server?.stop()
})

describe("on PostgreSQL (BullMQ's Postgres backend and the ledger table)", () => {
  it("runs a campaign end to end, parks an unknown outcome and resends it when told", async () => {
    emulator.reset()
    openWindows(emulator, 30)
    const campaigns = makeCampaigns({ postgres: pool, queueName: "pg-e2e", backoff: 50 })
    try {
      emulator.inject({ kind: "status", status: 502 })
      const worker = campaigns.worker({
        concurrency: 1,
        baseUrl: emulator.url,
        apiKey: emulator.apiKey,
        handleSignals: false
      })
      const recipients = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, to: customer(i), message: `pg ${i}` }))
      expect(await campaigns.enqueue({ campaignId: "pg", from: BUSINESS, recipients })).toMatchObject({ added: 30 })
      await eventually(async () => (await campaigns.progress("pg")).pending === 0, 60_000, "the campaign to settle")
      expect(await campaigns.progress("pg")).toEqual({ total: 30, sent: 29, notSent: 0, unknown: 1, pending: 0 })
      const [parked] = await campaigns.review("pg")
      expect(parked).toMatchObject({ key: "k0", reason: "ServerError" })
      // A re-import sends nothing twice.
      expect(await campaigns.enqueue({ campaignId: "pg", from: BUSINESS, recipients })).toMatchObject({
        added: 0,
        known: 30
      })
      await campaigns.resolve("pg", "k0", "resend")
      await eventually(async () => (await campaigns.progress("pg")).sent === 30, 60_000, "the resend")
      await worker.close()
      expect(emulator.sent()).toHaveLength(30)
    } finally {
      await campaigns.close()
    }
  })

  it("the CLI on --postgres: enqueue a CSV, a worker sends it all, status says so", async () => {
    emulator.reset()
    openWindows(emulator, 5)
    const dir = mkdtempSync(join(tmpdir(), "oneroute-queue-pg-cli-"))
    try {
      const csv = join(dir, "customers.csv")
      const rows = Array.from({ length: 5 }, (_, i) => `k${i},${customer(i)},pg cli ${i}`)
      writeFileSync(csv, ["key,to,message", ...rows, ""].join("\n"))
      const store = ["--postgres", server.url, "--queue", "pg-cli"]
      const cli = (...args: ReadonlyArray<string>) => startCli([...args, ...store], { REDIS_URL: "" }).done
      const enqueued = await cli("enqueue", "--campaign", "cli", "--from", BUSINESS, csv)
      expect(enqueued.code, enqueued.stderr).toBe(0)
      expect(JSON.parse(enqueued.stdout)).toMatchObject({ added: 5, invalidCount: 0, unreadable: 0 })
      const worker = startCli(["worker", "--concurrency", "2", ...store], {
        REDIS_URL: "",
        ONEROUTE_API_KEY: emulator.apiKey,
        ONEROUTE_BASE_URL: emulator.url
      })
      const watched = await cli("status", "--campaign", "cli", "--watch")
      expect(watched.stdout).toMatch(/100\.0% sent 5 not-sent 0 unknown 0 pending 0 of 5/)
      worker.child.kill("SIGTERM")
      expect((await worker.done).code).toBe(0)
      const status = await cli("status", "--campaign", "cli")
      expect(JSON.parse(status.stdout)).toEqual({ total: 5, sent: 5, notSent: 0, unknown: 0, pending: 0 })
      expect((await cli("review", "--campaign", "cli")).stdout).toBe("")
      expect(emulator.sent()).toHaveLength(5)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("refuses a server without fsync unless durability is best-effort", async () => {
    const client = await pool.connect()
    try {
      // fsync is a server setting; a session cannot turn it off, but synchronous_commit it can.
      await client.query("SET synchronous_commit = off")
      const campaigns = makeCampaigns({ postgres: client as unknown as PostgresPool, queueName: "pg-refused" })
      await expect(
        campaigns.enqueue({ campaignId: "x", from: BUSINESS, recipients: [{ to: customer(0), message: "x" }] })
      ).rejects.toBeInstanceOf(PostgresNotDurableError)
      await campaigns.close()
    } finally {
      client.release()
    }
  })

  it("the ledger's counters equal its rows after concurrent begins of one key", async () => {
    await migrate(pool as unknown as PgQueryable, 60_000)
    const ledger = makePostgresLedger(pool as unknown as PgQueryable, "pg-ledger")
    await ledger.reserve("c", ["k"])
    const record = { job: {}, reason: "redelivered", detail: "", parkedAt: 0 }
    const results = await Promise.all(Array.from({ length: 10 }, () => ledger.begin("c", "k", 0, randomUUID(), record)))
    expect(results.filter((result) => result === "go")).toHaveLength(1)
    expect(results.filter((result) => result === "parked")).toHaveLength(1)
    expect(results.filter((result) => result === "done")).toHaveLength(8)
    expect(await ledger.counts("c")).toEqual({ total: 1, sent: 0, notSent: 0, unknown: 1 })
  })

  it("a PostgreSQL restart mid-run (SIGKILL, then the same data and port): 0 duplicates, every recipient accounted for", async () => {
    emulator.reset()
    const size = 400
    openWindows(emulator, size)
    emulator.inject({ kind: "latency", ms: 5, times: size * 2 })
    const restartPool = poolOf(server.url)
    // The restart breaks the pool's idle connections; the next query opens new ones.
    restartPool.on("error", () => undefined)
    const campaigns = makeCampaigns({ postgres: restartPool, queueName: "pg-restart", backoff: 100 })
    try {
      await campaigns.enqueue({
        campaignId: "restart",
        from: BUSINESS,
        recipients: Array.from({ length: size }, (_, i) => ({ to: customer(i), message: `m${i}` }))
      })
      const worker = campaigns.worker({
        concurrency: 8,
        baseUrl: emulator.url,
        apiKey: emulator.apiKey,
        handleSignals: false,
        lockDuration: 2000,
        stalledInterval: 1000,
        // Back at work soon after the restart (BullMQ waits 15 s by default).
        storeRetryDelay: 500
      })
      await eventually(() => emulator.sent().length >= size / 4, 60_000, "a quarter sent")
      await server.restart()
      await eventually(
        async () => (await campaigns.progress("restart").catch(() => undefined))?.pending === 0,
        90_000,
        "every recipient settled"
      )
      await worker.close()
      const progress = await campaigns.progress("restart")
      const sends = sendsPerRecipient(emulator)
      console.log(JSON.stringify({ backend: "postgres-restart", size, duplicates: duplicatesOf(sends), progress }))
      expect(duplicatesOf(sends)).toBe(0)
      expect(progress.sent + progress.notSent + progress.unknown).toBe(size)
      // What was in flight while PostgreSQL was away may be parked; never more than the concurrency.
      expect(progress.unknown).toBeLessThanOrEqual(8)
      expect(sends.size).toBeGreaterThanOrEqual(progress.sent)
    } finally {
      await campaigns.close()
      await restartPool.end()
    }
  }, 180_000)

  it("a worker process killed with SIGKILL mid-run: 0 duplicates, every recipient accounted for", async () => {
    emulator.reset()
    const size = Number(process.env.ONEROUTE_QUEUE_PG_CRASH_SIZE ?? 600)
    const recipients = Array.from({ length: size }, (_, i) => ({
      to: customer(i),
      template: { name: "hello_world", parameters: [] }
    }))
    emulator.inject({ kind: "latency", ms: 10, times: size * 2 })
    const campaigns = makeCampaigns({ postgres: pool, queueName: "pg-crash" })
    try {
      await campaigns.enqueue({ campaignId: "crash", from: BUSINESS, recipients })
      const options = {
        storeUrl: server.url,
        queueName: "pg-crash",
        concurrency: 8,
        baseUrl: emulator.url,
        apiKey: emulator.apiKey,
        lockDuration: 2000,
        stalledInterval: 1000
      }
      const [victim, survivor] = await Promise.all([forkWorker(options), forkWorker(options)])
      await eventually(async () => (await campaigns.progress("crash")).sent >= size / 3, 60_000, "a third sent")
      await victim.kill()
      await eventually(
        async () => (await campaigns.progress("crash")).pending === 0,
        120_000,
        "every recipient settled"
      )
      await survivor.terminate()
      const progress = await campaigns.progress("crash")
      const sends = sendsPerRecipient(emulator)
      console.log(JSON.stringify({ backend: "postgres", size, duplicates: duplicatesOf(sends), progress }))
      expect(duplicatesOf(sends)).toBe(0)
      expect(progress.sent + progress.notSent + progress.unknown).toBe(size)
      expect(progress.unknown).toBeLessThanOrEqual(8)
      expect(await campaigns.review("crash")).toHaveLength(progress.unknown)
    } finally {
      await campaigns.close()
    }
  }, 180_000)
})
