/**
 * The plain validators and codecs (what a valid send runs, without `effect/Schema`) answer
 * exactly what the schemas answer, both ways: generated inputs and answers around the valid ones.
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CampaignRequest } from "../src/Campaign.js"
import { validCampaignRequest } from "../src/internal/campaignEndpoint.js"
import { decodeSessionAnswer, encodeSessionAnswer, validSessionRequest } from "../src/internal/sessionEndpoint.js"
import { validTemplateRequest } from "../src/internal/templateEndpoint.js"
import { SessionMessageEnvelope, SessionMessageRequest } from "../src/Schemas.js"
import { TemplateMessageRequest } from "../src/TemplateMessage.js"
import { documentedSuccess } from "./fixtures.js"

const decodeRequest = Schema.decodeUnknownEither(SessionMessageRequest)
const decodeEnvelope = Schema.decodeUnknownEither(SessionMessageEnvelope)
const encodeEnvelope = Schema.encodeSync(SessionMessageEnvelope)
const decodeTemplateRequest = Schema.decodeUnknownEither(TemplateMessageRequest)
const decodeCampaignRequest = Schema.decodeUnknownEither(CampaignRequest)

/** `plain` and `schema` agree: both refuse, or both give the same value. Counts the accepted. */
const agree = (plain: unknown, schema: Either.Either<unknown, unknown>, accepted: { count: number }) => {
  expect(plain === undefined, "one accepts what the other refuses").toBe(Either.isLeft(schema))
  if (plain === undefined) return
  accepted.count++
  expect(plain).toEqual(Either.getOrThrow(schema))
}

const number = fc.oneof(
  fc.stringMatching(/^[1-9][0-9]{7,14}$/),
  fc.stringMatching(/^\+?[0-9 ()-]{6,18}$/),
  fc.constantFrom("", "0801234567", "2348012345678901234", " 2348012345678"),
  fc.anything()
)
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(" ", "\n\t", "a".repeat(4096), "a".repeat(4097), "\u00a0"),
  fc.anything()
)
const request = fc.oneof(
  fc.record({ from: number, to: number, message: text }),
  fc.record({ from: number, to: number, message: text, extra: fc.anything() }),
  fc.anything()
)

/** Any value where the documented answer has one, some of them replaced by near misses. */
const variant = (value: unknown): fc.Arbitrary<unknown> => {
  const misses = fc.constantFrom(undefined, null, 0, "", "not a date", true, {}, [], "2021-06-03")
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([key, field]) => [key, variant(field)] as const)
    const fields = Object.fromEntries(entries)
    return fc.oneof(
      { arbitrary: fc.record(fields), weight: 12 },
      { arbitrary: fc.record(fields, { requiredKeys: [] }), weight: 1 },
      { arbitrary: misses, weight: 1 }
    )
  }
  return fc.oneof({ arbitrary: fc.constant(value), weight: 24 }, { arbitrary: misses, weight: 1 })
}

/** Mostly `valid`, sometimes one of the near misses. */
const mostly = <A>(valid: fc.Arbitrary<A>, ...misses: ReadonlyArray<fc.Arbitrary<unknown>>) =>
  fc.oneof(
    { arbitrary: valid as fc.Arbitrary<unknown>, weight: 10 },
    ...misses.map((miss) => ({ arbitrary: miss, weight: 1 }))
  )

const validNumber = fc.oneof(
  fc.stringMatching(/^[1-9][0-9]{7,14}$/),
  fc.constantFrom("+234 801 234 5678", "00234-801-234-5678", "(234) 8012345678")
)
const parameter = mostly(
  fc.record({ type: fc.constant("text"), text: fc.string({ minLength: 1, maxLength: 10 }) }),
  fc.record({ type: fc.constantFrom("text", "image"), text, extra: fc.anything() }),
  fc.anything()
)
const metadata = mostly(
  fc.jsonValue().filter((value) => typeof value === "object" && value !== null && !Array.isArray(value)),
  fc.constantFrom(JSON.parse('{"__proto__":{"a":1}}'), { big: "x".repeat(5000) }, { n: Number.NaN }, [], null, "m"),
  fc.anything()
)
const recipient = fc.record(
  {
    to: mostly(validNumber, number),
    template: mostly(
      fc.record(
        {
          name: mostly(fc.stringMatching(/^[a-z0-9_]{1,20}$/), fc.string({ maxLength: 8 }), fc.anything()),
          parameters: mostly(fc.array(parameter, { maxLength: 3 }), fc.anything()),
          buttons: mostly(fc.array(parameter, { maxLength: 2 }), fc.constant(undefined), fc.anything())
        },
        { requiredKeys: ["name", "parameters"] }
      ),
      fc.anything()
    ),
    save: mostly(fc.boolean(), fc.constant(undefined), fc.anything()),
    metadata
  },
  { requiredKeys: ["to", "template"] }
)
const templateRequest = mostly(
  fc.record({ from: mostly(validNumber, number), messages: fc.array(recipient, { maxLength: 3 }) }),
  fc.record({ from: number, messages: fc.array(recipient, { minLength: 1, maxLength: 2 }), extra: fc.anything() }),
  fc.anything()
)

const identifier = fc.oneof(
  { arbitrary: fc.constantFrom("order-1", "order-2", "Ada #1042", "x".repeat(128)), weight: 8 },
  { arbitrary: fc.constantFrom("", " ", "\t", "a\u0000b", "x".repeat(129), "\u00a0"), weight: 1 },
  { arbitrary: fc.anything(), weight: 1 }
)
const campaignMessage = fc.record(
  {
    to: mostly(validNumber, number),
    template: fc.record({
      name: mostly(fc.constantFrom("order_update", "hello_world"), fc.anything()),
      parameters: mostly(fc.array(parameter, { maxLength: 2 }), fc.anything())
    }),
    identifier,
    save: mostly(fc.boolean(), fc.anything()),
    metadata
  },
  { requiredKeys: ["to", "template"] }
)
const campaignRequest = mostly(
  fc.record({ from: mostly(validNumber, number), messages: fc.array(campaignMessage, { maxLength: 3 }) }),
  fc.anything()
)

/** The request with every identifier the input lacked replaced by a mark: generated ones are random. */
const withoutGenerated = (input: unknown, request: unknown): unknown => {
  if (request === undefined) return undefined
  const given = (input as { messages: ReadonlyArray<{ identifier?: unknown }> }).messages
  const { from, messages } = request as { from: string; messages: ReadonlyArray<{ identifier: string }> }
  return {
    from,
    messages: messages.map((message, index) =>
      given[index] !== undefined && Object.hasOwn(given[index], "identifier")
        ? message
        : { ...message, identifier: "(generated)" }
    )
  }
}

describe("the plain validators and codecs agree with the schemas", () => {
  const RUNS = { numRuns: 3000, seed: 20261206 }

  it("session requests: accepted and refused alike, the same normalised value", () => {
    const accepted = { count: 0 }
    fc.assert(
      fc.property(request, (input) => agree(validSessionRequest(input), decodeRequest(input), accepted)),
      RUNS
    )
    expect(accepted.count).toBeGreaterThan(50)
  })

  it("template requests: accepted and refused alike, the same normalised value", () => {
    const accepted = { count: 0 }
    fc.assert(
      fc.property(templateRequest, (input) =>
        agree(validTemplateRequest(input), decodeTemplateRequest(input), accepted)
      ),
      RUNS
    )
    expect(accepted.count).toBeGreaterThan(50)
  })

  it("campaign requests: accepted and refused alike, the same value, an identifier generated where none was given", () => {
    const accepted = { count: 0 }
    fc.assert(
      fc.property(campaignRequest, (input) => {
        const plain = validCampaignRequest(input)
        const schema = decodeCampaignRequest(input)
        for (const decoded of [plain, Either.getOrUndefined(schema)]) {
          for (const message of decoded?.messages ?? []) expect(message.identifier.length).toBeGreaterThan(0)
        }
        agree(
          withoutGenerated(input, plain),
          Either.map(schema, (request) => withoutGenerated(input, request)),
          accepted
        )
      }),
      RUNS
    )
    expect(accepted.count).toBeGreaterThan(50)
  })

  it("session answers: decoded alike, and encoded back alike", () => {
    const accepted = { count: 0 }
    fc.assert(
      fc.property(variant(documentedSuccess), (json) => {
        const decoded = Either.map(decodeEnvelope(json), (envelope) => envelope.data)
        const message = decodeSessionAnswer(json)
        agree(message, decoded, accepted)
        if (message !== undefined) {
          expect(encodeSessionAnswer(message)).toEqual(
            encodeEnvelope({ data: message, message: "Message sent to customer", success: true })
          )
        }
      }),
      RUNS
    )
    expect(accepted.count).toBeGreaterThan(50)
  })
})
