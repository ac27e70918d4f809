import { randomUUID } from "node:crypto"
import { type RedisServer, startRedis } from "@oneroute/testkit"
import fc from "fast-check"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Ledger, makeLedger, type ParkedRecord } from "../src/internal/ledger.js"

let server: RedisServer
let redis: Redis
let ledger: Ledger
const retention = 60_000
const record: ParkedRecord = { job: { recipient: { to: "2348012345678" } }, reason: "test", detail: "", parkedAt: 1 }

beforeAll(async () => {
  server = await startRedis()
  redis = new Redis(server.url)
  ledger = makeLedger(redis, "test:", retention)
})
afterAll(async () => {
  redis?.disconnect()
  await server?.stop()
})

describe("the ledger's transitions", () => {
  it("reserve → in flight → sent, and a settled key is never taken again", async () => {
    expect(await ledger.reserve("a", ["k1", "k2", "k1"])).toEqual([
      { state: "new" },
      { state: "new" },
      { state: "waiting", generation: 0 }
    ])
    const token = randomUUID()
    expect(await ledger.begin("a", "k1", 0, token, record)).toBe("go")
    // ioredis may resend the script after a reconnect: the same token is still ours.
    expect(await ledger.begin("a", "k1", 0, token, record)).toBe("go")
    expect(await ledger.finish("a", "k1", token, "sent")).toBe("ok")
    expect(await ledger.begin("a", "k1", 0, randomUUID(), record)).toBe("done")
    expect(await ledger.reserve("a", ["k1"])).toEqual([{ state: "known" }])
    expect(await ledger.counts("a")).toEqual({ total: 2, sent: 1, notSent: 0, unknown: 0 })
    // Entries live for the retention, refreshed by every transition.
    const ttl = await redis.pttl("test:{a}:entries")
    expect(ttl).toBeGreaterThan(retention - 10_000)
    expect(ttl).toBeLessThanOrEqual(retention)
  })

  it("another attempt's in-flight entry is parked; the first attempt's success still settles it", async () => {
    await ledger.reserve("b", ["k"])
    const first = randomUUID()
    expect(await ledger.begin("b", "k", 0, first, record)).toBe("go")
    expect(await ledger.begin("b", "k", 0, randomUUID(), record)).toBe("parked")
    expect(await ledger.counts("b")).toMatchObject({ unknown: 1 })
    expect(await ledger.parked("b", 10)).toEqual([["k", JSON.stringify(record)]])
    // A failure of the first attempt leaves it parked: only the operator may resend it.
    expect(await ledger.finish("b", "k", first, "release")).toBe("parked")
    expect(await ledger.finish("b", "k", first, "sent")).toBe("ok")
    expect(await ledger.counts("b")).toEqual({ total: 1, sent: 1, notSent: 0, unknown: 0 })
    expect(await ledger.parked("b", 10)).toEqual([])
  })

  it("a stale job (older generation) and a missing entry send nothing", async () => {
    await ledger.reserve("c", ["k"])
    const token = randomUUID()
    await ledger.begin("c", "k", 0, token, record)
    await ledger.finish("c", "k", token, "unknown", record)
    expect(await ledger.resolve("c", "k", "resend")).toEqual({
      state: "resend",
      generation: 1,
      record: JSON.stringify(record)
    })
    expect(await ledger.begin("c", "k", 0, randomUUID(), record)).toBe("stale")
    expect(await ledger.begin("c", "k", 1, randomUUID(), record)).toBe("go")
    expect(await ledger.begin("c", "nope", 0, randomUUID(), record)).toBe("missing")
    expect(await ledger.resolve("c", "nope", "sent")).toEqual({ state: "not-parked" })
  })

  it("property: the counters always equal what the entries say, whatever the order of steps", async () => {
    type Step =
      | { kind: "reserve"; key: number }
      | { kind: "begin"; key: number; attempt: number }
      | { kind: "finish"; attempt: number; outcome: "sent" | "not-sent" | "release" | "unknown" }
      | { kind: "resolve"; key: number; decision: "sent" | "resend" }
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant("reserve" as const), key: fc.nat(5) }),
      fc.record({ kind: fc.constant("begin" as const), key: fc.nat(5), attempt: fc.nat(3) }),
      fc.record({
        kind: fc.constant("finish" as const),
        attempt: fc.nat(3),
        outcome: fc.constantFrom("sent" as const, "not-sent" as const, "release" as const, "unknown" as const)
      }),
      fc.record({
        kind: fc.constant("resolve" as const),
        key: fc.nat(5),
        decision: fc.constantFrom("sent" as const, "resend" as const)
      })
    )
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const campaign = `p${run++}`
        const attempts = new Map<number, { key: string; token: string }>()
        for (const s of steps) {
          if (s.kind === "reserve") await ledger.reserve(campaign, [`k${s.key}`])
          if (s.kind === "begin") {
            const generation = Number(
              ((await redis.hget(`test:{${campaign}}:entries`, `k${s.key}`)) ?? "r|0").split("|")[1] ?? 0
            )
            const token = randomUUID()
            if ((await ledger.begin(campaign, `k${s.key}`, generation, token, record)) === "go") {
              attempts.set(s.attempt, { key: `k${s.key}`, token })
            }
          }
          if (s.kind === "finish") {
            const attempt = attempts.get(s.attempt)
            if (attempt) await ledger.finish(campaign, attempt.key, attempt.token, s.outcome, record)
          }
          if (s.kind === "resolve") await ledger.resolve(campaign, `k${s.key}`, s.decision)
        }
        const entries = Object.values(await redis.hgetall(`test:{${campaign}}:entries`))
        const parked = await redis.hlen(`test:{${campaign}}:parked`)
        const counted = (state: string) => entries.filter((entry) => entry.startsWith(state)).length
        expect(await ledger.counts(campaign)).toEqual({
          total: entries.length,
          sent: counted("s"),
          notSent: counted("n"),
          unknown: counted("u")
        })
        expect(parked).toBe(counted("u"))
      }),
      { numRuns: 80 }
    )
  })
})
