import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { type IdempotencyStore, makeMemory, type StoredAnswer } from "../src/IdempotencyStore.js"

const answer: StoredAnswer = { status: 200, headers: {}, body: "{}" }
const run = Effect.runPromise

const reserved = async (store: IdempotencyStore, key: string): Promise<string> => {
  const reservation = await run(store.reserve(key, "digest"))
  if (reservation._tag !== "Reserved") throw new Error(`${key}: expected Reserved, got ${reservation._tag}`)
  return reservation.token
}

describe("IdempotencyStore.makeMemory", () => {
  it("key K answered, 20,000 other keys, K again: still Answered (nothing is forgotten early)", async () => {
    const store = makeMemory()
    await run(store.complete("K", await reserved(store, "K"), answer))
    for (let i = 0; i < 20_000; i++)
      await run(store.complete(`other-${i}`, await reserved(store, `other-${i}`), answer))
    expect((await run(store.reserve("K", "digest")))._tag).toBe("Answered")
  })

  it("key K in flight while 10,000 others pass: K's repeat is still InFlight", async () => {
    const store = makeMemory()
    await reserved(store, "K")
    for (let i = 0; i < 10_000; i++)
      await run(store.complete(`other-${i}`, await reserved(store, `other-${i}`), answer))
    expect((await run(store.reserve("K", "digest")))._tag).toBe("InFlight")
  })

  it("when full, refuses new keys with a Retry-After until the oldest answer expires; keeps the rest", async () => {
    let now = 0
    const store = makeMemory({ ttl: Duration.seconds(60), maxBytes: 64 * 1024, now: () => now })
    const kept: Array<string> = []
    for (let i = 0; ; i++) {
      const reservation = await run(store.reserve(`k${i}`, "digest"))
      if (reservation._tag === "Full") {
        // The first answer was kept at time 0 for 60 s.
        expect(Duration.toMillis(reservation.retryAfter)).toBe(60_000 - now)
        break
      }
      if (reservation._tag !== "Reserved") throw new Error(reservation._tag)
      await run(store.complete(`k${i}`, reservation.token, answer))
      kept.push(`k${i}`)
      now += 1
    }
    expect(kept.length).toBeGreaterThan(10)
    for (const key of kept) expect((await run(store.reserve(key, "digest")))._tag).toBe("Answered")
    now = 60_000 // the first answer expired
    expect((await run(store.reserve("late", "digest")))._tag).toBe("Reserved")
    expect((await run(store.reserve(kept.at(-1)!, "digest")))._tag).toBe("Answered")
  })

  it("never drops an in-flight reservation, however old; answers go after the TTL", async () => {
    let now = 0
    const store = makeMemory({ ttl: Duration.seconds(1), now: () => now })
    const slow = await reserved(store, "slow")
    await run(store.complete("fast", await reserved(store, "fast"), answer))
    now = 3_600_000
    expect((await run(store.reserve("slow", "digest")))._tag).toBe("InFlight")
    expect((await run(store.reserve("fast", "digest")))._tag).toBe("Reserved")
    await run(store.complete("slow", slow, answer))
    expect((await run(store.reserve("slow", "digest")))._tag).toBe("Answered")
  })

  it("is bounded in bytes: reservations stop at maxBytes, counting a few hundred bytes each", async () => {
    const store = makeMemory({ maxBytes: 1024 * 1024 })
    let count = 0
    // The relay passes a SHA-256 digest, never the message, so an entry's size does not grow with it.
    while ((await run(store.reserve(`key-${count}`, "a".repeat(64))))._tag === "Reserved") count++
    expect(count).toBeGreaterThan(1024)
    expect(count).toBeLessThan(4096)
  })
})
