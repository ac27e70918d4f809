import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Campaigns, makeCampaigns, NotParkedError } from "../src/index.js"
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

let servers: Servers
let queueCount = 0
let campaigns: Campaigns

beforeAll(async () => {
  servers = await startServers()
})
afterAll(async () => {
  await servers?.stop()
})
beforeEach(async (context) => {
  servers.emulator.reset()
  campaigns = makeCampaigns({
    redis: servers.redis.url,
    queueName: `q${++queueCount}`,
    durability: "best-effort",
    backoff: 50
  })
  context.onTestFinished(() => campaigns.close())
})

const workerOf = (concurrency = 4) =>
  campaigns.worker({
    concurrency,
    baseUrl: servers.emulator.url,
    apiKey: servers.emulator.apiKey,
    handleSignals: false
  })

const settled = (campaignId: string, timeout = 30_000) =>
  eventually(async () => (await campaigns.progress(campaignId)).pending === 0, timeout, `${campaignId} to settle`)

describe("a campaign end to end on the emulator", () => {
  it("sends session messages, template messages and the fallback template, each once", async () => {
    openWindows(servers.emulator, 20)
    const recipients = [
      ...Array.from({ length: 20 }, (_, i) => ({ to: customer(i), message: `Hello ${i}` })),
      {
        to: customer(100),
        template: {
          name: "order_update",
          parameters: [
            { type: "text" as const, text: "A1" },
            { type: "text" as const, text: "shipped" }
          ]
        }
      },
      // The window of this customer is closed: the session message is refused, the template goes.
      { to: customer(101), message: "Hi", fallbackTemplate: { name: "hello_world", parameters: [] } },
      // Closed window and no fallback: certainly not sent, final.
      { to: customer(102), message: "Hi" }
    ]
    const result = await campaigns.enqueue({ campaignId: "c1", from: BUSINESS, recipients })
    expect(result).toEqual({ added: 23, known: 0, invalidCount: 0, invalid: [] })
    const worker = workerOf()
    await settled("c1")
    expect(await campaigns.progress("c1")).toEqual({ total: 23, sent: 22, notSent: 1, unknown: 0, pending: 0 })
    await worker.close()
    const sends = sendsPerRecipient(servers.emulator)
    expect(sends.size).toBe(22)
    expect(duplicatesOf(sends)).toBe(0)
    expect(servers.emulator.sentTemplates().map((sent) => [sent.to, sent.template.name])).toEqual(
      expect.arrayContaining([
        [customer(100), "order_update"],
        [customer(101), "hello_world"]
      ])
    )
  })

  it("re-importing the same recipients sends nothing twice, also from an async iterable", async () => {
    openWindows(servers.emulator, 50)
    async function* rows() {
      for (let i = 0; i < 50; i++) yield { to: `+${customer(i)}`, message: "Sale starts now" }
    }
    expect((await campaigns.enqueue({ campaignId: "c2", from: BUSINESS, recipients: rows() })).added).toBe(50)
    const worker = workerOf(8)
    await settled("c2")
    const again = await campaigns.enqueue({ campaignId: "c2", from: BUSINESS, recipients: rows() })
    expect(again).toMatchObject({ added: 0, known: 50 })
    // Give a worker time to pick up anything the re-import might have queued.
    await new Promise((resolve) => setTimeout(resolve, 500))
    await worker.close()
    expect(servers.emulator.sent()).toHaveLength(50)
    expect(await campaigns.progress("c2")).toEqual({ total: 50, sent: 50, notSent: 0, unknown: 0, pending: 0 })
  })

  it("each queue keeps its own ledger: a campaign id reused on another queue starts fresh", async () => {
    const recipients = [{ to: customer(0), message: "x" }]
    expect(await campaigns.enqueue({ campaignId: "shared-id", from: BUSINESS, recipients })).toMatchObject({ added: 1 })
    const other = makeCampaigns({ redis: servers.redis.url, queueName: `q${++queueCount}`, durability: "best-effort" })
    try {
      expect(await other.enqueue({ campaignId: "shared-id", from: BUSINESS, recipients })).toMatchObject({ added: 1 })
      expect(await campaigns.progress("shared-id")).toMatchObject({ total: 1 })
    } finally {
      await other.close()
    }
  })

  it("feeds windows: the importer waits while the queue holds maxWaiting jobs", async () => {
    const small = makeCampaigns({
      redis: servers.redis.url,
      queueName: `q${++queueCount}`,
      durability: "best-effort",
      window: { size: 10, maxWaiting: 30 }
    })
    try {
      openWindows(servers.emulator, 200)
      const recipients = Array.from({ length: 200 }, (_, i) => ({ to: customer(i), message: "Windowed" }))
      const importing = small.enqueue({ campaignId: "c3", from: BUSINESS, recipients })
      await eventually(async () => (await small.progress("c3")).total >= 30, 10_000, "the first windows")
      await new Promise((resolve) => setTimeout(resolve, 500))
      // No worker yet: the importer stopped at the high-water mark.
      expect((await small.progress("c3")).total).toBeLessThanOrEqual(40)
      const worker = small.worker({
        concurrency: 8,
        baseUrl: servers.emulator.url,
        apiKey: servers.emulator.apiKey,
        handleSignals: false
      })
      expect(await importing).toMatchObject({ added: 200 })
      await eventually(async () => (await small.progress("c3")).pending === 0, 30_000, "c3 to settle")
      await worker.close()
      expect(servers.emulator.sent()).toHaveLength(200)
    } finally {
      await small.close()
    }
  })

  it("parks a message whose outcome is unknown, lists it and resends it only when told", async () => {
    openWindows(servers.emulator, 3)
    // The emulator accepts the first message, then the connection drops: it may have been sent.
    servers.emulator.inject({ kind: "reset", when: "after-accept" })
    const worker = workerOf(1)
    await campaigns.enqueue({
      campaignId: "c4",
      from: BUSINESS,
      recipients: [0, 1, 2].map((i) => ({ key: `k${i}`, to: customer(i), message: "Parked?" }))
    })
    await settled("c4")
    expect(await campaigns.progress("c4")).toEqual({ total: 3, sent: 2, notSent: 0, unknown: 1, pending: 0 })
    const parked = await campaigns.review("c4")
    expect(parked).toHaveLength(1)
    expect(parked[0]).toMatchObject({ key: "k0", to: customer(0), reason: "NetworkError" })
    expect(servers.emulator.sent()).toHaveLength(3)

    await campaigns.resolve("c4", "k0", "resend")
    await settled("c4")
    expect(servers.emulator.sent().filter((sent) => sent.to === customer(0))).toHaveLength(2)
    expect(await campaigns.progress("c4")).toEqual({ total: 3, sent: 3, notSent: 0, unknown: 0, pending: 0 })
    await expect(campaigns.resolve("c4", "k0", "sent")).rejects.toBeInstanceOf(NotParkedError)
    await worker.close()
    // The API key is nowhere in Redis (jobs, ledger, parked records) nor in what review shows.
    const { client } = servers
    const keys = await client.keys("*")
    const values = await Promise.all(
      keys.map(async (key) => {
        const type = await client.type(key)
        if (type === "string") return (await client.get(key)) ?? ""
        if (type === "hash") return JSON.stringify(await client.hgetall(key))
        if (type === "list") return JSON.stringify(await client.lrange(key, "0", "-1"))
        if (type === "zset") return JSON.stringify(await client.zrange(key, "0", "-1"))
        if (type === "set") return JSON.stringify(await client.smembers(key))
        return ""
      })
    )
    expect(values.join("\n")).toContain(customer(0))
    expect(values.join("\n")).not.toContain(servers.emulator.apiKey)
    expect(JSON.stringify(parked)).not.toContain(servers.emulator.apiKey)
  })

  it("resolve 'sent' settles a parked message without sending", async () => {
    openWindows(servers.emulator, 1)
    servers.emulator.inject({ kind: "status", status: 502 })
    const worker = workerOf(1)
    await campaigns.enqueue({ campaignId: "c5", from: BUSINESS, recipients: [{ to: customer(0), message: "x" }] })
    await settled("c5")
    expect((await campaigns.review("c5"))[0]).toMatchObject({ key: customer(0), reason: "ServerError" })
    await campaigns.resolve("c5", customer(0), "sent")
    expect(await campaigns.progress("c5")).toEqual({ total: 1, sent: 1, notSent: 0, unknown: 0, pending: 0 })
    expect(await campaigns.review("c5")).toEqual([])
    expect(servers.emulator.requests()).toBe(1)
    await worker.close()
  })

  it("retries a not-sent failure with backoff and ends not-sent when every attempt failed", async () => {
    openWindows(servers.emulator, 2)
    const retrying = makeCampaigns({
      redis: servers.redis.url,
      queueName: `q${++queueCount}`,
      durability: "best-effort",
      attempts: 3,
      backoff: 20
    })
    try {
      const worker = retrying.worker({
        concurrency: 1,
        baseUrl: servers.emulator.url,
        apiKey: "wrong",
        handleSignals: false
      })
      await retrying.enqueue({ campaignId: "c6", from: BUSINESS, recipients: [{ to: customer(0), message: "x" }] })
      await eventually(async () => (await retrying.progress("c6")).pending === 0, 30_000, "c6 to settle")
      // A wrong API key is a not-sent 401: released and retried, final after the third attempt.
      expect(await retrying.progress("c6")).toEqual({ total: 1, sent: 0, notSent: 1, unknown: 0, pending: 0 })
      expect(servers.emulator.requests()).toBe(3)
      await worker.close()
    } finally {
      await retrying.close()
    }
  })
})
