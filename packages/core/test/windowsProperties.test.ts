/**
 * Property tests of the window tracker (fast-check): no sequence of duplicated, reordered or
 * replayed events extends a window beyond its latest inbound message's own time, and none moves
 * it backwards.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { createWindowTracker, makeMemoryWindowStore, type WindowStatus, type WindowTracker } from "../src/index.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const MARGIN = 5 * MINUTE
const pair = { from: "2348000000001", to: "2348012345678" }
const CONVERSATION = "conv-1"
const START = Date.parse("2026-12-06T08:00:00Z")

type Event = { readonly kind: "inbound" | "inboundByConversation" | "send" | "closed"; readonly offset: number }

/** Times from three days back to a day ahead (the future ones are clamped to receipt). */
const offset = fc.integer({ min: -3 * DAY, max: DAY })
const anyEvent: fc.Arbitrary<Event> = fc.record({
  kind: fc.constantFrom("inbound", "inboundByConversation", "send", "closed"),
  offset
})
const openingEvent: fc.Arbitrary<Event> = fc.record({
  kind: fc.constantFrom("inbound", "inboundByConversation", "send"),
  offset
})

const tracked = () => {
  const clock = { now: START }
  const now = () => clock.now
  return { clock, windows: createWindowTracker({ store: makeMemoryWindowStore({ now }), now }) }
}

const apply = (windows: WindowTracker, event: Event, now: number): Promise<void> => {
  const at = now + event.offset
  switch (event.kind) {
    case "inbound":
      return windows.recordInbound({ ...pair, at })
    case "inboundByConversation":
      return windows.recordInbound({ conversationId: CONVERSATION, at })
    case "send":
      return windows.recordSend({ ...pair, conversationId: CONVERSATION, at })
    case "closed":
      return windows.recordClosed({ ...pair, at })
  }
}

/** The statuses at the moment of the events and at later checkpoints. */
const statusesAfter = async (events: ReadonlyArray<Event>): Promise<Array<WindowStatus>> => {
  const { clock, windows } = tracked()
  for (const event of events) await apply(windows, event, START)
  const seen: Array<WindowStatus> = []
  for (const later of [0, HOUR, 23 * HOUR, 25 * HOUR, 47 * HOUR]) {
    clock.now = START + later
    seen.push(await windows.status(pair))
  }
  return seen
}

/** The same events in another order, some of them delivered again. */
const replayedOf = (events: ReadonlyArray<Event>) =>
  fc
    .tuple(fc.shuffledSubarray([...events], { minLength: events.length, maxLength: events.length }), fc.array(fc.nat()))
    .map(([shuffled, repeats]) => {
      const replayed = [...shuffled]
      for (const index of repeats) {
        if (events.length > 0) replayed.splice(index % (replayed.length + 1), 0, events[index % events.length]!)
      }
      return replayed
    })

describe("window tracker properties", () => {
  it("reordering and replaying the same events gives the same status, now and later", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyEvent, { maxLength: 12 }).chain((events) => fc.tuple(fc.constant(events), replayedOf(events))),
        async ([events, replayed]) => {
          expect(await statusesAfter(replayed)).toEqual(await statusesAfter(events))
        }
      ),
      { numRuns: 300 }
    )
  })

  it("an open window ends exactly one window (minus the margin) after the latest inbound, clamped to receipt; never without one", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyEvent, { maxLength: 12 }).chain(replayedOf), async (events) => {
        const inboundTimes = events
          .filter((event) => event.kind === "inbound" || event.kind === "inboundByConversation")
          .map((event) => Math.min(START + event.offset, START))
        const [status] = await statusesAfter(events)
        if (status?.state !== "open") return
        expect(inboundTimes.length).toBeGreaterThan(0)
        expect(status.lastInboundAt.getTime()).toBeLessThanOrEqual(Math.max(...inboundTimes))
        expect(status.expiresAt.getTime()).toBe(status.lastInboundAt.getTime() + DAY - MARGIN)
        expect(status.expiresAt.getTime()).toBeLessThanOrEqual(START + DAY - MARGIN)
      }),
      { numRuns: 300 }
    )
  })

  it("as time passes, later inbound messages, replays and sends never move an open window's end backwards", async () => {
    const step = fc.oneof(
      fc.record({ advance: fc.integer({ min: 0, max: 6 * HOUR }) }),
      fc.record({ event: openingEvent })
    )
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
        const { clock, windows } = tracked()
        let latestEnd = Number.NEGATIVE_INFINITY
        for (const current of steps) {
          if ("advance" in current) clock.now += current.advance
          else await apply(windows, current.event, clock.now)
          const status = await windows.status(pair)
          if (status.state === "open") {
            expect(status.expiresAt.getTime()).toBeGreaterThanOrEqual(latestEnd)
            expect(status.expiresAt.getTime()).toBeGreaterThan(clock.now)
            latestEnd = status.expiresAt.getTime()
          } else {
            // Only time can end a window that no refusal closed.
            expect(clock.now).toBeGreaterThanOrEqual(latestEnd)
          }
        }
      }),
      { numRuns: 300 }
    )
  })

  it("hostile times and ids never open a window: typed errors or nothing", async () => {
    const hostileTime = fc.oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -Number.MAX_VALUE, Number.MAX_VALUE, 8.64e15 + 1),
      fc.double(),
      fc.date({ noInvalidDate: false }),
      fc.string(),
      fc.constant(null)
    )
    await fc.assert(
      fc.asyncProperty(hostileTime, fc.string({ maxLength: 300 }), async (at, conversationId) => {
        const { windows } = tracked()
        await windows.recordInbound({ conversationId, at: at as never }).catch((error: unknown) => {
          expect((error as { _tag?: string })._tag).toBe("WindowInputError")
        })
        await windows.recordSend({ ...pair, conversationId: CONVERSATION })
        const status = await windows.status(pair)
        if (status.state === "open") {
          // Only a valid time for a valid id may open it, and never past receipt.
          expect(status.lastInboundAt.getTime()).toBeLessThanOrEqual(START)
          expect(conversationId).toBe(CONVERSATION)
        }
      }),
      { numRuns: 500 }
    )
  })
})
