import { afterAll, beforeAll, expect, it } from "vitest"
import { makeCampaigns } from "../src/index.js"
import {
  BUSINESS,
  customer,
  duplicatesOf,
  eventually,
  type Servers,
  sendsPerRecipient,
  startServers
} from "./support/setup.js"
import { forkWorker } from "./support/workerProcesses.js"

/** Recipients of the crash test: ONEROUTE_QUEUE_CRASH_SIZE, default 3000 (CI). */
const size = Number(process.env.ONEROUTE_QUEUE_CRASH_SIZE ?? 3000)
const concurrency = 8
const lockDuration = 2000
const stalledInterval = 1000
/** Generous limits that grow with the campaign (a busy 2-core machine sends a few hundred a second). */
const waitLimit = Math.max(120_000, size * 20)

let servers: Servers
beforeAll(async () => {
  servers = await startServers()
})
afterAll(async () => {
  await servers?.stop()
})

it(`a worker process killed with SIGKILL mid-run: 0 duplicates, every recipient accounted for (${size} recipients)`, async () => {
  const { emulator } = servers
  // Half session messages (their customers wrote first), half templates.
  for (let i = 0; i < size; i += 2) emulator.receiveInbound({ from: customer(i), to: BUSINESS })
  const recipients = function* () {
    for (let i = 0; i < size; i++) {
      yield i % 2 === 0
        ? { to: customer(i), message: `Campaign message ${i}` }
        : { to: customer(i), template: { name: "hello_world", parameters: [] } }
    }
  }
  // Every answer takes 5 ms, so that requests are in flight when the worker dies.
  emulator.inject({ kind: "latency", ms: 5, times: size * 2 })
  const campaigns = makeCampaigns({ redis: servers.redis.url, queueName: "crash", durability: "best-effort" })
  try {
    const workerOptions = {
      storeUrl: servers.redis.url,
      queueName: "crash",
      concurrency,
      baseUrl: emulator.url,
      apiKey: emulator.apiKey,
      lockDuration,
      stalledInterval
    }
    const [victim, survivor] = await Promise.all([forkWorker(workerOptions), forkWorker(workerOptions)])
    const importing = campaigns.enqueue({ campaignId: "crash", from: BUSINESS, recipients: recipients() })

    await eventually(async () => (await campaigns.progress("crash")).sent >= size / 3, waitLimit, "a third sent")
    await victim.kill()
    const killedAt = Date.now()
    const sentByVictim = victim.transitions.get("sent") ?? 0
    expect(await importing).toMatchObject({ added: size, invalidCount: 0 })

    await eventually(
      async () => (await campaigns.progress("crash")).pending === 0,
      waitLimit,
      "every recipient settled"
    )
    const settledAfter = Date.now() - killedAt
    await survivor.terminate()

    const progress = await campaigns.progress("crash")
    const parked = await campaigns.review("crash")
    const sends = sendsPerRecipient(emulator)
    const duplicates = duplicatesOf(sends)
    console.log(
      JSON.stringify({
        size,
        duplicates,
        progress,
        parked: parked.length,
        reallySentOfParked: parked.filter((message) => sends.has(message.to)).length,
        sentByVictimBeforeKill: sentByVictim,
        sentBySurvivor: survivor.transitions.get("sent") ?? 0,
        settledMsAfterKill: settledAfter
      })
    )
    expect(duplicates).toBe(0)
    expect(progress.total).toBe(size)
    expect(progress.sent + progress.notSent + progress.unknown).toBe(size)
    expect(progress.pending).toBe(0)
    expect(progress.notSent).toBe(0)
    // Only what the dead worker held in flight can be in doubt.
    expect(progress.unknown).toBeLessThanOrEqual(concurrency)
    expect(parked).toHaveLength(progress.unknown)
    expect(parked.every((message) => message.reason === "redelivered")).toBe(true)
    // The ledger's "sent" are exactly the recorded ones that are not parked.
    const parkedNumbers = new Set(parked.map((message) => message.to))
    expect([...sends.keys()].filter((to) => !parkedNumbers.has(to))).toHaveLength(progress.sent)
    expect(sentByVictim).toBeGreaterThan(0)
  } finally {
    await campaigns.close()
  }
}, 180_000)

it("SIGTERM closes a worker process gracefully: what it had in flight is finished, nothing is parked", async () => {
  const { emulator } = servers
  emulator.reset()
  const count = 400
  const recipients = Array.from({ length: count }, (_, i) => ({
    to: customer(i),
    template: { name: "hello_world", parameters: [] }
  }))
  emulator.inject({ kind: "latency", ms: 20, times: count * 2 })
  const campaigns = makeCampaigns({ redis: servers.redis.url, queueName: "sigterm", durability: "best-effort" })
  try {
    const options = {
      storeUrl: servers.redis.url,
      queueName: "sigterm",
      concurrency,
      baseUrl: emulator.url,
      apiKey: emulator.apiKey,
      lockDuration,
      stalledInterval
    }
    const first = await forkWorker(options)
    await campaigns.enqueue({ campaignId: "sigterm", from: BUSINESS, recipients })
    await eventually(async () => (await campaigns.progress("sigterm")).sent >= count / 4, 60_000, "a quarter sent")
    expect(await first.terminate()).toBe(0)
    const afterTerm = await campaigns.progress("sigterm")
    expect(afterTerm.unknown).toBe(0)
    expect(afterTerm.sent).toBe(first.transitions.get("sent"))
    const second = await forkWorker(options)
    await eventually(async () => (await campaigns.progress("sigterm")).pending === 0, 60_000, "the rest sent")
    await second.terminate()
    expect(await campaigns.progress("sigterm")).toEqual({
      total: count,
      sent: count,
      notSent: 0,
      unknown: 0,
      pending: 0
    })
    expect(duplicatesOf(sendsPerRecipient(emulator))).toBe(0)
  } finally {
    await campaigns.close()
  }
}, 120_000)
