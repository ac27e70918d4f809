import { describe, expect, it } from "vitest"
import { makeIdempotencyStore, type StoredAnswer } from "../src/internal/relay/idempotency.js"

const answer = (repeatable: boolean): StoredAnswer => ({ status: 200, headers: {}, body: "{}", repeatable })

describe("idempotency store", () => {
  it("gives a repeat the first answer, and refuses the key for another body", async () => {
    const store = makeIdempotencyStore(1_000, 10)
    const first = store.claim("k", "body")
    expect(first._tag).toBe("New")
    if (first._tag === "New") await first.settle(Promise.resolve(answer(false)))
    const repeat = store.claim("k", "body")
    expect(repeat._tag === "Repeat" && (await repeat.answer).status).toBe(200)
    expect(store.claim("k", "other body")._tag).toBe("Conflict")
  })

  it("forgets answers that sent nothing, and failed sends, so they can be tried again", async () => {
    const store = makeIdempotencyStore(1_000, 10)
    const first = store.claim("k", "body")
    if (first._tag === "New") await first.settle(Promise.resolve(answer(true)))
    expect(store.claim("k", "body")._tag).toBe("New")
    const crashed = store.claim("c", "body")
    if (crashed._tag === "New") await crashed.settle(Promise.reject(new Error("boom"))).catch(() => undefined)
    expect(store.claim("c", "body")._tag).toBe("New")
  })

  it("evicts the oldest beyond maxEntries, and entries older than the TTL", async () => {
    let now = 0
    const store = makeIdempotencyStore(100, 2, () => now)
    for (const key of ["a", "b", "c"]) {
      const claim = store.claim(key, "body")
      if (claim._tag === "New") await claim.settle(Promise.resolve(answer(false)))
    }
    expect(store.claim("a", "body")._tag).toBe("New")
    now = 1_000
    expect(store.claim("b", "body")._tag).toBe("New")
  })
})
