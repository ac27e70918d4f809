import { afterAll, beforeAll, expect, it } from "vitest"
import { makeCampaigns } from "../src/index.js"
import { BUSINESS, customer, eventually, openWindows, type Servers, startServers } from "./support/setup.js"
import { forkWorker } from "./support/workerProcesses.js"

let servers: Servers
beforeAll(async () => {
  servers = await startServers()
})
afterAll(async () => {
  await servers?.stop()
})

it("two worker processes share one rate limit", async () => {
  const size = 120
  const rateLimit = { max: 20, duration: 500 }
  const { emulator } = servers
  openWindows(emulator, size)
  const campaigns = makeCampaigns({
    redis: servers.redis.url,
    queueName: "limited",
    durability: "best-effort",
    rateLimit
  })
  try {
    const options = {
      storeUrl: servers.redis.url,
      queueName: "limited",
      concurrency: 10,
      baseUrl: emulator.url,
      apiKey: emulator.apiKey,
      lockDuration: 5000,
      stalledInterval: 5000,
      rateLimit
    }
    const workers = await Promise.all([forkWorker(options), forkWorker(options)])
    const started = Date.now()
    await campaigns.enqueue({
      campaignId: "limited",
      from: BUSINESS,
      recipients: Array.from({ length: size }, (_, i) => ({ to: customer(i), message: "Limited" }))
    })
    await eventually(async () => (await campaigns.progress("limited")).pending === 0, 60_000, "the campaign to settle")
    const elapsed = Date.now() - started
    const codes = await Promise.all(workers.map((worker) => worker.terminate()))
    expect(codes).toEqual([0, 0])
    expect(emulator.sent()).toHaveLength(size)
    // 120 at 20 per 500 ms take at least 5 full windows, whichever process sent them.
    expect(elapsed).toBeGreaterThanOrEqual(((size / rateLimit.max - 1) * rateLimit.duration) | 0)
    // In every 500 ms fixed window, no more than the limit went out (a little slack for the
    // window's edges: BullMQ's window starts with the first job, not on the clock's boundary).
    const perWindow = new Map<number, number>()
    for (const sent of emulator.sent()) {
      const window = Math.floor(sent.at.getTime() / rateLimit.duration)
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1)
    }
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(rateLimit.max * 2)
    expect(workers.every((worker) => (worker.transitions.get("sent") ?? 0) > 0)).toBe(true)
  } finally {
    await campaigns.close()
  }
})

it("a 429 pauses the workers and the message goes later without using an attempt", async () => {
  const { emulator } = servers
  emulator.reset()
  openWindows(emulator, 1)
  // One attempt only: if the 429 used it, the message would end not-sent.
  const campaigns = makeCampaigns({
    redis: servers.redis.url,
    queueName: "429",
    durability: "best-effort",
    attempts: 1
  })
  try {
    emulator.inject({ kind: "rate-limit", retryAfter: 1 })
    const worker = campaigns.worker({
      concurrency: 1,
      baseUrl: emulator.url,
      apiKey: emulator.apiKey,
      handleSignals: false
    })
    const started = Date.now()
    await campaigns.enqueue({ campaignId: "c429", from: BUSINESS, recipients: [{ to: customer(0), message: "x" }] })
    await eventually(async () => (await campaigns.progress("c429")).pending === 0, 30_000, "the message to settle")
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(await campaigns.progress("c429")).toEqual({ total: 1, sent: 1, notSent: 0, unknown: 0, pending: 0 })
    expect(emulator.requests()).toBe(2)
    expect(emulator.sent()).toHaveLength(1)
    await worker.close()
  } finally {
    await campaigns.close()
  }
})
