import { RedisNotDurableError } from "@oneroute/redis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeCampaigns } from "../src/index.js"
import {
  BUSINESS,
  customer,
  duplicatesOf,
  eventually,
  openWindows,
  type Servers,
  sendsPerRecipient,
  startServers
} from "./support/setup.js"

describe("on a Redis without persistence", () => {
  let servers: Servers
  beforeAll(async () => {
    servers = await startServers()
  })
  afterAll(async () => {
    await servers?.stop()
  })

  it("refuses to enqueue or send unless durability is best-effort", async () => {
    const campaigns = makeCampaigns({ redis: servers.redis.url, queueName: "refused" })
    try {
      const refused = campaigns.enqueue({
        campaignId: "c",
        from: BUSINESS,
        recipients: [{ to: customer(0), message: "x" }]
      })
      await expect(refused).rejects.toBeInstanceOf(RedisNotDurableError)
      await expect(refused).rejects.toThrow(/appendonly/)
      expect(await campaigns.progress("c")).toMatchObject({ total: 0 })
      expect(servers.emulator.requests()).toBe(0)
    } finally {
      await campaigns.close()
    }
  })
})

describe("on a durable Redis (AOF, appendfsync always)", () => {
  let servers: Servers
  beforeAll(async () => {
    servers = await startServers({ durable: true })
  })
  afterAll(async () => {
    await servers?.stop()
  })

  it("a Redis restart mid-run loses nothing and sends nothing twice", async () => {
    const size = 600
    const { emulator } = servers
    openWindows(emulator, size)
    emulator.inject({ kind: "latency", ms: 5, times: size * 2 })
    const campaigns = makeCampaigns({ redis: servers.redis.url, queueName: "restart" })
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
        stalledInterval: 1000
      })
      await eventually(() => emulator.sent().length >= size / 4, 60_000, "a quarter sent")
      await servers.redis.restart()
      await eventually(
        async () => (await campaigns.progress("restart")).pending === 0,
        90_000,
        "every recipient settled"
      )
      await worker.close()
      const progress = await campaigns.progress("restart")
      const sends = sendsPerRecipient(emulator)
      expect(duplicatesOf(sends)).toBe(0)
      expect(progress.sent + progress.notSent + progress.unknown).toBe(size)
      expect(progress.notSent).toBe(0)
      // What was in flight while Redis was away may be parked; never more than the concurrency.
      expect(progress.unknown).toBeLessThanOrEqual(8)
      expect(sends.size).toBeGreaterThanOrEqual(progress.sent)
    } finally {
      await campaigns.close()
    }
  })
})
