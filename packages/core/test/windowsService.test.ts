/** The `ConversationWindows` Effect service: the tracker's rules, typed failures, one tracker shared with Promise code. */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { describe, expect, it } from "vitest"
import {
  ConversationWindows,
  createWindowTracker,
  InvalidOptionsError,
  WindowInputError,
  type WindowStore,
  WindowStoreError
} from "../src/effect.js"

const pair = { from: "2348000000001", to: "2348012345678" }
const START = Date.parse("2026-12-06T08:00:00Z")
const now = () => START

describe("ConversationWindows", () => {
  it("layer: records and answers with Effect durations for the window and margin", async () => {
    const program = Effect.gen(function* () {
      const windows = yield* ConversationWindows
      yield* windows.recordInbound({ ...pair, at: START - 60_000 })
      return yield* ConversationWindows.status(pair)
    })
    const status = await Effect.runPromise(
      program.pipe(Effect.provide(ConversationWindows.layer({ windowLength: "1 hour", safetyMargin: "1 minute", now })))
    )
    expect(status).toEqual({
      state: "open",
      lastInboundAt: new Date(START - 60_000),
      expiresAt: new Date(START - 60_000 + 60 * 60_000 - 60_000)
    })
  })

  it("fromTracker shares the Promise tracker's windows (what a webhookHandler feeds)", async () => {
    const tracker = createWindowTracker({ now })
    await tracker.recordInbound({ ...pair, at: START })
    const status = await Effect.runPromise(ConversationWindows.fromTracker(tracker).status(pair))
    expect(status.state).toBe("open")
  })

  it("bad input fails with WindowInputError; a failing store with WindowStoreError (records) or unknown (status)", async () => {
    const failing: WindowStore = {
      record: () => Promise.reject(new Error("down")),
      recordConversationInbound: () => Promise.reject(new Error("down")),
      read: () => Promise.reject(new Error("down"))
    }
    const windows = await Effect.runPromise(ConversationWindows.make({ store: failing, now }))
    const input = await Effect.runPromise(Effect.flip(windows.status({ ...pair, to: "nope" })))
    expect(input).toBeInstanceOf(WindowInputError)
    const caught = await Effect.runPromise(
      windows.recordClosed(pair).pipe(
        Effect.as("recorded"),
        Effect.catchTag("WindowStoreError", (error) => Effect.succeed(error))
      )
    )
    expect(caught).toBeInstanceOf(WindowStoreError)
    expect(await Effect.runPromise(windows.status(pair))).toEqual({ state: "unknown" })
  })

  it("unusable options are an InvalidOptionsError defect", async () => {
    for (const options of [{ windowLength: "soon" }, { windowLength: 0 }, { safetyMargin: "2 days" }]) {
      const exit = await Effect.runPromiseExit(ConversationWindows.make(options as never))
      expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
      if (Exit.isFailure(exit)) expect(Cause.squash(exit.cause)).toBeInstanceOf(InvalidOptionsError)
    }
  })
})
