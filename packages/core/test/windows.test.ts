/**
 * The window tracker over the in-memory store: the rules of `status`, the conversation links,
 * a full or failing store, and input it must refuse.
 */
import { describe, expect, it } from "vitest"
import {
  createWindowTracker,
  InvalidOptionsError,
  makeMemoryWindowStore,
  WindowInputError,
  type WindowStatus,
  type WindowStore,
  WindowStoreError
} from "../src/index.js"

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const BUSINESS = "2348000000001"
const CUSTOMER = "2348012345678"
const pair = { from: BUSINESS, to: CUSTOMER }
const START = Date.parse("2026-12-06T08:00:00Z")

/** A tracker on a clock the test moves. */
const tracked = (options: { store?: WindowStore; maxEntries?: number } = {}) => {
  const clock = { now: START }
  const now = () => clock.now
  const store =
    options.store ?? makeMemoryWindowStore({ now, ...(options.maxEntries ? { maxEntries: options.maxEntries } : {}) })
  return { clock, windows: createWindowTracker({ store, now }) }
}

const open = (lastInboundAt: number): WindowStatus => ({
  state: "open",
  expiresAt: new Date(lastInboundAt + DAY - 5 * MINUTE),
  lastInboundAt: new Date(lastInboundAt)
})

const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error
  )
  expect(error).toBeInstanceOf(Error)
  return error as Error
}

describe("createWindowTracker: status", () => {
  it("nothing recorded: unknown", async () => {
    const { windows } = tracked()
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
  })

  it("an inbound message opens the window until 24 h minus the 5-minute margin, then closed", async () => {
    const { clock, windows } = tracked()
    const at = START - HOUR
    await windows.recordInbound({ ...pair, at: new Date(at) })
    expect(await windows.status(pair)).toEqual(open(at))
    clock.now = at + DAY - 5 * MINUTE - 1
    expect((await windows.status(pair)).state).toBe("open")
    clock.now = at + DAY - 5 * MINUTE
    expect(await windows.status(pair)).toEqual({ state: "closed", lastInboundAt: new Date(at) })
  })

  it("numbers are the same window however they are written", async () => {
    const { windows } = tracked()
    await windows.recordInbound({ from: "+234 800 000 0001", to: "00234-801-234-5678", at: START })
    expect(await windows.status(pair)).toEqual(open(START))
  })

  it("windowLength and safetyMargin are options", async () => {
    const clock = { now: START }
    const windows = createWindowTracker({ windowLength: HOUR, safetyMargin: MINUTE, now: () => clock.now })
    await windows.recordInbound({ ...pair, at: START })
    expect(await windows.status(pair)).toMatchObject({ expiresAt: new Date(START + HOUR - MINUTE) })
  })

  it("a time in the future counts as the moment it was recorded", async () => {
    const { windows } = tracked()
    await windows.recordInbound({ ...pair, at: START + 365 * DAY })
    expect(await windows.status(pair)).toEqual(open(START))
  })

  it("an older, a duplicated or a replayed inbound never moves the window back or forward", async () => {
    const { windows } = tracked()
    await windows.recordInbound({ ...pair, at: START - HOUR })
    await windows.recordInbound({ ...pair, at: START - 5 * HOUR })
    await windows.recordInbound({ ...pair, at: START - HOUR })
    expect(await windows.status(pair)).toEqual(open(START - HOUR))
  })

  it("a window-closed refusal closes it until a newer inbound message is known", async () => {
    const { clock, windows } = tracked()
    await windows.recordInbound({ ...pair, at: START - HOUR })
    await windows.recordClosed(pair)
    expect(await windows.status(pair)).toEqual({ state: "closed", lastInboundAt: new Date(START - HOUR) })
    // An inbound from before the refusal, delivered late, does not reopen it.
    await windows.recordInbound({ ...pair, at: START - MINUTE })
    expect((await windows.status(pair)).state).toBe("closed")
    clock.now = START + MINUTE
    await windows.recordInbound({ ...pair, at: START + MINUTE })
    expect(await windows.status(pair)).toEqual(open(START + MINUTE))
  })

  it("a refusal with no inbound known: closed without lastInboundAt", async () => {
    const { windows } = tracked()
    await windows.recordClosed({ ...pair, at: new Date(START - MINUTE) })
    expect(await windows.status(pair)).toEqual({ state: "closed" })
  })

  it("a send that succeeded after a refusal: unknown (a message we have not seen reopened it)", async () => {
    const { clock, windows } = tracked()
    await windows.recordClosed(pair)
    clock.now += MINUTE
    await windows.recordSend({ ...pair, conversationId: "c-1" })
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
  })

  it("a send that succeeded after the known window ended: unknown, not closed", async () => {
    const { clock, windows } = tracked()
    await windows.recordInbound({ ...pair, at: START })
    clock.now = START + DAY + MINUTE
    expect((await windows.status(pair)).state).toBe("closed")
    await windows.recordSend({ ...pair, conversationId: "c-1" })
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
  })

  it("a send alone proves nothing about the future: unknown", async () => {
    const { windows } = tracked()
    await windows.recordSend({ ...pair, conversationId: "c-1" })
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
  })

  it("events older than two windows change nothing", async () => {
    const { windows } = tracked()
    await windows.recordInbound({ ...pair, at: START - 2 * DAY })
    await windows.recordClosed({ ...pair, at: START - 3 * DAY })
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
  })

  it("a pair is forgotten two windows after its last event: closed for one window, then unknown", async () => {
    const { clock, windows } = tracked()
    await windows.recordInbound({ ...pair, at: START })
    clock.now = START + 2 * DAY - 1
    expect((await windows.status(pair)).state).toBe("closed")
    clock.now = START + 2 * DAY
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
  })
})

describe("createWindowTracker: inbound messages known by conversation only (webhooks)", () => {
  it("before a send links the conversation: unknown; the send applies the kept inbound", async () => {
    const { clock, windows } = tracked()
    await windows.recordInbound({ conversationId: "conv-1", at: new Date(START - HOUR) })
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
    clock.now += MINUTE
    await windows.recordSend({ ...pair, conversationId: "conv-1" })
    expect(await windows.status(pair)).toEqual(open(START - HOUR))
  })

  it("after the link, an inbound by conversation moves that pair's window", async () => {
    const { clock, windows } = tracked()
    await windows.recordSend({ ...pair, conversationId: "conv-1" })
    clock.now += HOUR
    await windows.recordInbound({ conversationId: "conv-1", at: clock.now })
    expect(await windows.status(pair)).toEqual(open(START + HOUR))
    // Another customer's pair is not touched.
    expect(await windows.status({ from: BUSINESS, to: "2348099999999" })).toEqual({ state: "unknown" })
  })

  it("only the latest inbound is kept for an unlinked conversation", async () => {
    const { windows } = tracked()
    await windows.recordInbound({ conversationId: "conv-1", at: START - HOUR })
    await windows.recordInbound({ conversationId: "conv-1", at: START - 3 * HOUR })
    await windows.recordSend({ ...pair, conversationId: "conv-1" })
    expect(await windows.status(pair)).toEqual(open(START - HOUR))
  })

  it("an inbound with numbers and a conversation links them too", async () => {
    const { clock, windows } = tracked()
    await windows.recordInbound({ ...pair, conversationId: "conv-2", at: START - HOUR })
    clock.now += MINUTE
    await windows.recordInbound({ conversationId: "conv-2", at: clock.now })
    expect(await windows.status(pair)).toEqual(open(START + MINUTE))
  })
})

describe("makeMemoryWindowStore: bounded, refuses rather than forgets", () => {
  it("when full, new pairs and conversations are refused (unknown); kept ones still answer and update", async () => {
    const { clock, windows } = tracked({ maxEntries: 2 })
    const other = { from: BUSINESS, to: "2348011111111" }
    const third = { from: BUSINESS, to: "2348022222222" }
    await windows.recordInbound({ ...pair, at: START })
    await windows.recordInbound({ ...other, at: START })
    const full = await rejection(windows.recordInbound({ ...third, at: START }))
    expect(full).toBeInstanceOf(WindowStoreError)
    expect(full).toMatchObject({ _tag: "WindowStoreError", reason: "full" })
    expect(full.message).toContain("maxEntries")
    expect(await rejection(windows.recordInbound({ conversationId: "conv-9", at: START }))).toBeInstanceOf(
      WindowStoreError
    )
    expect(await windows.status(third)).toEqual({ state: "unknown" })
    clock.now += MINUTE
    await windows.recordInbound({ ...pair, at: clock.now })
    expect(await windows.status(pair)).toEqual(open(START + MINUTE))
    expect(await windows.status(other)).toEqual(open(START))
    // `other` expires two windows after its event; then there is room again.
    clock.now = START + 2 * DAY
    await windows.recordInbound({ ...third, at: clock.now })
    expect(await windows.status(third)).toEqual(open(START + 2 * DAY))
  })

  it("a link that needs two new entries is refused whole when only one fits", async () => {
    const { windows } = tracked({ maxEntries: 1 })
    expect(await rejection(windows.recordSend({ ...pair, conversationId: "conv-1" }))).toBeInstanceOf(WindowStoreError)
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
  })

  it("maxEntries must be a positive whole number", () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => makeMemoryWindowStore({ maxEntries })).toThrow(InvalidOptionsError)
    }
  })
})

describe("createWindowTracker: a failing store", () => {
  const failing: WindowStore = {
    record: () => Promise.reject(new Error("connection refused")),
    recordConversationInbound: () => Promise.reject(new Error("connection refused")),
    read: () => Promise.reject(new Error("connection refused"))
  }

  it("status is unknown, never open; records reject with WindowStoreError unavailable", async () => {
    const windows = createWindowTracker({ store: failing })
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
    const error = await rejection(windows.recordInbound({ ...pair, at: Date.now() }))
    expect(error).toBeInstanceOf(WindowStoreError)
    expect(error).toMatchObject({ reason: "unavailable" })
    expect(error.message).toContain("connection refused")
    expect(await rejection(windows.recordInbound({ conversationId: "c", at: Date.now() }))).toBeInstanceOf(
      WindowStoreError
    )
  })

  it("a record that is not times (a foreign store's garbage): unknown", async () => {
    for (const garbage of [
      { inboundAt: Number.NaN },
      { inboundAt: "1" },
      { inboundAt: 1e300 },
      { closedAt: -Infinity }
    ]) {
      const store: WindowStore = { ...failing, read: async () => garbage as never }
      expect(await createWindowTracker({ store }).status(pair)).toEqual({ state: "unknown" })
    }
  })
})

describe("createWindowTracker: input it refuses", () => {
  const huge = "9".repeat(10_000_000)
  const cases: ReadonlyArray<[string, unknown, string]> = [
    ["a NaN time", { ...pair, at: Number.NaN }, "at"],
    ["an infinite time", { ...pair, at: Number.POSITIVE_INFINITY }, "at"],
    ["an invalid Date", { ...pair, at: new Date("not a date") }, "at"],
    ["a time as a string", { ...pair, at: "2026-12-06T08:00:00Z" }, "at"],
    ["no time", { ...pair }, "at"],
    ["a 10 MB number", { from: BUSINESS, to: huge, at: START }, "to"],
    ["a number with letters", { from: "2348000000001x", to: CUSTOMER, at: START }, "from"],
    ["only one number", { from: BUSINESS, at: START }, "to"],
    ["neither numbers nor conversation", { at: START }, "conversationId"],
    ["a 10 MB conversation id", { conversationId: huge, at: START }, "conversationId"],
    ["a conversation id with a newline", { conversationId: "a\nb", at: START }, "conversationId"],
    ["an empty conversation id", { conversationId: "", at: START }, "conversationId"],
    ["a conversation id that is an object", { conversationId: { toString: () => "x" }, at: START }, "conversationId"]
  ]
  for (const [name, input, field] of cases) {
    it(`recordInbound: ${name} → WindowInputError on ${field}, nothing recorded`, async () => {
      const { windows } = tracked()
      const error = await rejection(windows.recordInbound(input as never))
      expect(error).toBeInstanceOf(WindowInputError)
      expect(error).toMatchObject({ _tag: "WindowInputError", field })
      expect(error.message.length).toBeLessThan(300)
      expect(JSON.stringify(error).length).toBeLessThan(300)
      expect(await windows.status(pair)).toEqual({ state: "unknown" })
    })
  }

  it("null events and bad numbers in status, recordSend and recordClosed", async () => {
    const { windows } = tracked()
    for (const call of [
      () => windows.recordInbound(null as never),
      () => windows.status(null as never),
      () => windows.status({ from: BUSINESS, to: huge }),
      () => windows.recordSend({ ...pair, conversationId: "" }),
      () => windows.recordSend({ ...pair, conversationId: "c", at: new Date(Number.NaN) }),
      () => windows.recordClosed({ ...pair, to: "0" }),
      () => windows.recordClosed({ ...pair, at: Number.NaN })
    ]) {
      expect(await rejection(call())).toBeInstanceOf(WindowInputError)
    }
    expect(await windows.status(pair)).toEqual({ state: "unknown" })
  })

  it("unusable options throw InvalidOptionsError", () => {
    for (const options of [
      { windowLength: 0 },
      { windowLength: -DAY },
      { windowLength: Number.NaN },
      { windowLength: 31 * DAY },
      { safetyMargin: -1 },
      { safetyMargin: DAY },
      { windowLength: HOUR, safetyMargin: HOUR },
      { safetyMargin: Number.POSITIVE_INFINITY }
    ]) {
      expect(() => createWindowTracker(options)).toThrow(InvalidOptionsError)
    }
  })
})
