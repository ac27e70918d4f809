/**
 * The contract every `WindowStore` keeps, run against the in-memory store and the Redis store
 * alike: each field keeps its latest time whatever the order, repetition or concurrency of the
 * writes; a conversation's inbound is kept until it is linked and never lost to a race with the
 * link; retention only grows; and a tracker over the store answers the same.
 */
import { createWindowTracker, type WindowStore, type WindowUpdate } from "@oneroute/core"
import { describe, expect, it } from "vitest"

export interface WindowStoreHarness {
  /** A fresh store (its own key space). */
  readonly store: WindowStore
  /** The store's clock, in milliseconds. */
  readonly now: () => number
  /** Lets `ms` pass on the store's clock. */
  readonly wait: (ms: number) => Promise<void>
}

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const KEEP = 2 * DAY

/** Every order of `items`. */
const permutations = <A>(items: ReadonlyArray<A>): Array<Array<A>> =>
  items.length <= 1
    ? [[...items]]
    : items.flatMap((item, index) =>
        permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest])
      )

let pairs = 0
/** A pair key no other case uses, in the tracker's form. */
const freshPair = () => `23480${String(++pairs).padStart(8, "0")}:2348012345678`
let conversations = 0
const freshConversation = () => `conv-${process.pid}-${++conversations}`

export const windowStoreSuite = (name: string, makeHarness: () => Promise<WindowStoreHarness>): void => {
  describe(`WindowStore contract: ${name}`, () => {
    it("a pair never written reads as undefined", async () => {
      const { store } = await makeHarness()
      expect(await store.read(freshPair())).toBeUndefined()
    })

    it("every order of the same writes, each written twice, leaves the latest time of each field", async () => {
      const { store, now } = await makeHarness()
      const t = now()
      const updates: ReadonlyArray<WindowUpdate> = [
        { inboundAt: t - 3 * HOUR, retainMs: KEEP },
        { inboundAt: t - HOUR, sentAt: t - 2 * HOUR, retainMs: KEEP },
        { closedAt: t - 4 * HOUR, retainMs: KEEP },
        { closedAt: t - 5 * HOUR, sentAt: t - 6 * HOUR, inboundAt: t - 7 * HOUR, retainMs: KEEP }
      ]
      const expected = { inboundAt: t - HOUR, closedAt: t - 4 * HOUR, sentAt: t - 2 * HOUR }
      for (const order of permutations(updates)) {
        const pair = freshPair()
        for (const update of [...order, ...order.slice().reverse()]) await store.record(pair, update)
        expect(await store.read(pair)).toEqual(expected)
      }
    })

    it("200 concurrent writes keep the latest of each field (the merge is atomic)", async () => {
      const { store, now } = await makeHarness()
      const pair = freshPair()
      const t = now()
      const times = Array.from({ length: 200 }, (_, i) => t - ((i * 7919) % 200) * 1000)
      await Promise.all(
        times.map((at, i) =>
          store.record(pair, i % 2 === 0 ? { inboundAt: at, retainMs: KEEP } : { closedAt: at, retainMs: KEEP })
        )
      )
      const evens = times.filter((_, i) => i % 2 === 0)
      const odds = times.filter((_, i) => i % 2 === 1)
      expect(await store.read(pair)).toEqual({ inboundAt: Math.max(...evens), closedAt: Math.max(...odds) })
    })

    it("an unlinked conversation keeps its latest inbound; the link moves it into the pair", async () => {
      const { store, now } = await makeHarness()
      const pair = freshPair()
      const id = freshConversation()
      const t = now()
      expect(await store.recordConversationInbound(id, t - HOUR, KEEP)).toBe("pending")
      expect(await store.recordConversationInbound(id, t - 3 * HOUR, KEEP)).toBe("pending")
      expect(await store.read(pair)).toBeUndefined()
      await store.record(pair, { sentAt: t, conversationId: id, retainMs: KEEP })
      expect(await store.read(pair)).toEqual({ inboundAt: t - HOUR, sentAt: t })
      expect(await store.recordConversationInbound(id, t - 2 * HOUR, KEEP)).toBe("applied")
      expect(await store.recordConversationInbound(id, t - 30 * 60 * 1000, KEEP)).toBe("applied")
      expect(await store.read(pair)).toEqual({ inboundAt: t - 30 * 60 * 1000, sentAt: t })
    })

    it("a conversation linked again follows its latest link; a pending inbound goes to no other pair", async () => {
      const { store, now } = await makeHarness()
      const [first, second] = [freshPair(), freshPair()]
      const id = freshConversation()
      const t = now()
      await store.record(first, { sentAt: t - HOUR, conversationId: id, retainMs: KEEP })
      await store.record(second, { sentAt: t, conversationId: id, retainMs: KEEP })
      await store.recordConversationInbound(id, t, KEEP)
      expect(await store.read(first)).toEqual({ sentAt: t - HOUR })
      expect(await store.read(second)).toEqual({ inboundAt: t, sentAt: t })
    })

    it("an inbound by conversation racing its link is never lost (50 rounds)", async () => {
      const { store, now } = await makeHarness()
      for (let round = 0; round < 50; round++) {
        const pair = freshPair()
        const id = freshConversation()
        const t = now()
        const link = () => store.record(pair, { sentAt: t, conversationId: id, retainMs: KEEP })
        const inbound = () => store.recordConversationInbound(id, t - round, KEEP)
        // Started in both orders: the inbound lands before the link in half the rounds.
        await Promise.all((round % 2 === 0 ? [link, inbound] : [inbound, link]).map((start) => start()))
        expect(await store.read(pair)).toEqual({ inboundAt: t - round, sentAt: t })
      }
    })

    it("entries go after their retention; a shorter retention never cuts a longer one", async () => {
      const { store, now, wait } = await makeHarness()
      const [short, long] = [freshPair(), freshPair()]
      const id = freshConversation()
      await store.record(short, { inboundAt: now(), retainMs: 300 })
      await store.recordConversationInbound(id, now(), 300)
      await store.record(long, { inboundAt: now(), retainMs: 60_000 })
      await store.record(long, { closedAt: now(), retainMs: 300 })
      await wait(900)
      expect(await store.read(short)).toBeUndefined()
      expect(await store.read(long)).toMatchObject({ closedAt: expect.any(Number) })
      // The kept inbound expired with its conversation: linking now brings nothing.
      const pair = freshPair()
      await store.record(pair, { sentAt: now(), conversationId: id, retainMs: KEEP })
      expect(await store.read(pair)).toEqual({ sentAt: expect.any(Number) })
    })

    it("a kept inbound keeps its own retention once linked, however short the link's", async () => {
      const { store, now, wait } = await makeHarness()
      const pair = freshPair()
      const id = freshConversation()
      const at = now()
      await store.recordConversationInbound(id, at, 60_000)
      await store.record(pair, { sentAt: now(), conversationId: id, retainMs: 300 })
      await wait(900)
      expect(await store.read(pair)).toMatchObject({ inboundAt: at })
    })

    it("a tracker over the store: unknown, open from a webhook's conversation once a send links it, then closed on a refusal", async () => {
      const { store, now } = await makeHarness()
      const windows = createWindowTracker({ store, now })
      const [from, to] = freshPair().split(":") as [string, string]
      const conversationId = freshConversation()
      const inboundAt = now() - HOUR
      await windows.recordInbound({ conversationId, at: inboundAt })
      expect(await windows.status({ from, to })).toEqual({ state: "unknown" })
      await windows.recordSend({ from, to, conversationId })
      expect(await windows.status({ from, to })).toEqual({
        state: "open",
        lastInboundAt: new Date(inboundAt),
        expiresAt: new Date(inboundAt + DAY - 5 * 60 * 1000)
      })
      await windows.recordClosed({ from, to })
      expect(await windows.status({ from, to })).toEqual({ state: "closed", lastInboundAt: new Date(inboundAt) })
    })
  })
}
