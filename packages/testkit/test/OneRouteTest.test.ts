import { it } from "@effect/vitest"
import { OneRoute, RateLimitedError } from "@oneroute/core"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import { expect } from "vitest"
import { layerTest, OneRouteTest } from "../src/index.js"

const input = { from: "+234 800 000 0001", to: "2348012345678", message: "hello" }

it.effect("records normalised requests and answers with a message stamped by the Clock", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(Date.UTC(2026, 0, 2))
    const message = yield* OneRoute.sendSessionMessage(input)
    expect(message.content).toBe("hello")
    expect(message.createdAt.toISOString()).toBe("2026-01-02T00:00:00.000Z")
    const sent = yield* Effect.flatMap(OneRouteTest, (test) => test.sent)
    expect(sent.map((entry) => entry.request.from)).toEqual(["2348000000001"])
  }).pipe(Effect.provide(layerTest))
)

it.effect("validates like the real service and fails queued errors in order", () =>
  Effect.gen(function* () {
    const invalid = yield* Effect.flip(OneRoute.sendSessionMessage({ ...input, message: "" }))
    expect(invalid._tag).toBe("InvalidInputError")
    const test = yield* OneRouteTest
    yield* test.failNext(new RateLimitedError({}))
    expect((yield* Effect.flip(OneRoute.sendSessionMessage(input)))._tag).toBe("RateLimitedError")
    yield* OneRoute.sendSessionMessage(input)
    expect((yield* test.sent).length).toBe(1)
  }).pipe(Effect.provide(layerTest))
)
