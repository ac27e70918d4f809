import { it } from "@effect/vitest"
import { OneRoute, RateLimitedError } from "@oneroute/core/effect"
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

const template = (to: string) => ({
  to,
  template: { name: "order_update", parameters: [{ type: "text" as const, text: "Ada" }] }
})

it.effect("sends template messages: one outcome per recipient, failures on demand, validation first", () =>
  Effect.gen(function* () {
    const test = yield* OneRouteTest
    yield* test.failTemplateRecipients("+234 801 234 5679")
    const result = yield* OneRoute.sendTemplateMessage({
      from: "2348000000001",
      messages: [template("+234 801 234 5678"), template("2348012345679")]
    })
    expect(result.outcomes.map((outcome) => [outcome.to, outcome.status])).toEqual([
      ["2348012345678", "sent"],
      ["2348012345679", "failed"]
    ])
    const invalid = yield* Effect.flip(OneRoute.sendTemplateMessage({ from: "2348000000001", messages: [] }))
    expect(invalid._tag).toBe("InvalidInputError")
    yield* test.failNext(new RateLimitedError({}))
    expect(
      (yield* Effect.flip(
        OneRoute.sendTemplateMessage({ from: "2348000000001", messages: [template("2348012345678")] })
      ))._tag
    ).toBe("RateLimitedError")
    const sent = yield* test.sentTemplates
    expect(sent).toHaveLength(1)
    expect(sent[0]?.request.messages[0]?.to).toBe("2348012345678")
    expect(sent[0]?.result).toEqual(result)
    expect(yield* test.sent).toHaveLength(0)
  }).pipe(Effect.provide(layerTest))
)

it.effect("answers every endpoint of the registry: a campaign is accepted and recorded with its identifiers", () =>
  Effect.gen(function* () {
    const accepted = yield* OneRoute.sendCampaign({
      from: "2348000000001",
      messages: [{ ...template("2348012345601"), identifier: "order-1" }, template("2348012345602")]
    })
    expect(accepted.status).toBe("accepted")
    expect(accepted.messages[0]?.identifier).toBe("order-1")
    const recorded = yield* Effect.flatMap(OneRouteTest, (test) => test.recorded("sendCampaign"))
    expect(recorded.map((entry) => entry.answer.campaignId)).toEqual([accepted.campaignId])
    expect(recorded[0]?.request.messages.map((message) => message.identifier)).toEqual(
      accepted.messages.map((message) => message.identifier)
    )
    const duplicate = yield* Effect.flip(
      OneRoute.sendCampaign({
        from: "2348000000001",
        messages: [
          { ...template("2348012345601"), identifier: "same" },
          { ...template("2348012345602"), identifier: "same" }
        ]
      })
    )
    expect(duplicate._tag).toBe("InvalidInputError")
  }).pipe(Effect.provide(layerTest))
)
