import { InvalidInputError } from "@oneroute/node"
import { Queue } from "bullmq"
import fc from "fast-check"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { type Campaigns, makeCampaigns, type Recipient } from "../src/index.js"
import { BUSINESS, customer, eventually, type Servers, startServers } from "./support/setup.js"

let servers: Servers
let campaigns: Campaigns
let queueCount = 0
let queueName = ""

beforeAll(async () => {
  servers = await startServers()
})
afterAll(async () => {
  await servers?.stop()
})
beforeEach((context) => {
  servers.emulator.reset()
  queueName = `hostile${++queueCount}`
  campaigns = makeCampaigns({ redis: servers.redis.url, queueName, durability: "best-effort" })
  context.onTestFinished(() => campaigns.close())
})

const deepObject = (depth: number): Record<string, unknown> => {
  const root: Record<string, unknown> = {}
  let cursor = root
  for (let i = 0; i < depth; i++) cursor = cursor.a = {} as Record<string, unknown>
  return root
}

const valid = { to: customer(1), message: "Hello" }
const template = { name: "hello_world", parameters: [] }

describe("hostile recipients are reported, never queued", () => {
  it("lists each invalid recipient with its position and problems", async () => {
    const deep = deepObject(10_000)
    const hostile: ReadonlyArray<unknown> = [
      null,
      42,
      "2348012345678",
      [],
      {},
      { to: "not a number", message: "x" },
      { to: customer(2) },
      { to: customer(3), message: "x", template },
      { to: customer(4), template, fallbackTemplate: template },
      { to: customer(5), message: "   " },
      { to: customer(6), message: "x".repeat(5000) },
      { to: "9".repeat(10_000_000), message: "x" },
      { key: "has:colon", to: customer(7), message: "x" },
      { key: "has space", to: customer(8), message: "x" },
      { key: "k".repeat(129), to: customer(9), message: "x" },
      { to: customer(10), template: { name: "Bad Name!", parameters: [] } },
      { to: customer(11), message: deep },
      {
        to: customer(13),
        template: {
          name: "order_update",
          parameters: Array.from({ length: 100_000 }, () => ({ type: "text", text: "x" }))
        }
      },
      JSON.parse(`{"__proto__": {"polluted": true}, "to": "${customer(12)}"}`),
      valid
    ]
    const result = await campaigns.enqueue({
      campaignId: "hostile",
      from: BUSINESS,
      recipients: hostile as ReadonlyArray<Recipient>
    })
    expect(result.added).toBe(1)
    expect(result.invalidCount).toBe(hostile.length - 1)
    expect(result.invalid.map((entry) => entry.index)).toEqual(hostile.slice(0, -1).map((_, index) => index))
    for (const entry of result.invalid) {
      expect(entry.issues.length).toBeGreaterThan(0)
      expect(entry.issues.length).toBeLessThanOrEqual(5)
      expect(JSON.stringify(entry).length).toBeLessThan(4000)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(await campaigns.progress("hostile")).toMatchObject({ total: 1 })
  })

  it("refuses a bad campaign id or business number before touching Redis", async () => {
    const keysBefore = await servers.client.dbsize()
    for (const campaignId of ["", "a:b", "x".repeat(65), "with space", 7 as unknown as string]) {
      await expect(campaigns.enqueue({ campaignId, from: BUSINESS, recipients: [valid] })).rejects.toBeInstanceOf(
        InvalidInputError
      )
    }
    await expect(campaigns.enqueue({ campaignId: "ok", from: "nope", recipients: [valid] })).rejects.toBeInstanceOf(
      InvalidInputError
    )
    await expect(campaigns.progress("a:b")).rejects.toBeInstanceOf(InvalidInputError)
    expect(await servers.client.dbsize()).toBe(keysBefore)
  })

  it("property: any JSON input is either a valid recipient (queued once) or reported, never a crash", async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.jsonValue(), fc.record({ to: fc.string(), message: fc.string() })), { maxLength: 20 }),
        async (inputs) => {
          const campaignId = `prop${run++}`
          const result = await campaigns.enqueue({
            campaignId,
            from: BUSINESS,
            recipients: inputs as ReadonlyArray<Recipient>
          })
          expect(result.added + result.known + result.invalidCount).toBe(inputs.length)
          expect((await campaigns.progress(campaignId)).total).toBe(result.added)
        }
      ),
      { numRuns: 60 }
    )
  })
})

describe("malformed queue jobs", () => {
  it("fail with a typed error, send nothing, and the worker keeps going", async () => {
    const queue = new Queue(queueName, { connection: servers.client })
    try {
      const garbage: ReadonlyArray<unknown> = [
        "garbage",
        null,
        { campaignId: "x:y", key: "k", generation: 0, from: BUSINESS, recipient: valid },
        { campaignId: "c", key: "k", generation: -1, from: BUSINESS, recipient: valid },
        { campaignId: "c", key: "k", generation: 0, from: BUSINESS, recipient: { to: customer(1) } },
        { campaignId: "c", key: "k", generation: 0, from: "0", recipient: valid },
        { campaignId: "c".repeat(100_000), key: "k", generation: 0, from: BUSINESS, recipient: valid },
        {
          campaignId: "c",
          key: "k",
          generation: 0,
          from: BUSINESS,
          recipient: { to: customer(1), message: deepObject(500) }
        }
      ]
      await queue.addBulk(garbage.map((data, i) => ({ name: "garbage", data, opts: { jobId: `garbage-${i}` } })))
      // Well-formed, but the ledger never heard of it (a job added behind the campaigns' back,
      // or a ledger Redis lost): not sent either.
      await queue.add("orphan", { campaignId: "orphan", key: "k1", generation: 0, from: BUSINESS, recipient: valid })
      const worker = campaigns.worker({
        concurrency: 2,
        baseUrl: servers.emulator.url,
        apiKey: servers.emulator.apiKey,
        handleSignals: false
      })
      await eventually(
        async () => (await queue.getFailedCount()) === garbage.length + 1,
        30_000,
        "every bad job failed"
      )
      const failed = await queue.getFailed()
      const reasons = failed.map((job) => job.failedReason)
      expect(reasons.filter((reason) => reason.includes("is not a campaign message"))).toHaveLength(garbage.length)
      expect(reasons.filter((reason) => reason.includes("The ledger has no entry"))).toHaveLength(1)
      for (const reason of reasons) expect(reason.length).toBeLessThan(2000)
      expect(servers.emulator.requests()).toBe(0)

      // The worker is still alive and sends a real campaign.
      servers.emulator.receiveInbound({ from: customer(1), to: BUSINESS })
      await campaigns.enqueue({ campaignId: "after", from: BUSINESS, recipients: [valid] })
      await eventually(async () => (await campaigns.progress("after")).sent === 1, 30_000, "the real message sent")
      await worker.close()
    } finally {
      await queue.close()
    }
  })
})
