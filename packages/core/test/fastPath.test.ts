/**
 * The session message's fast paths answer exactly what the schemas answer wherever they answer:
 * generated inputs and answers around the valid ones, each decoded both ways.
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { fastRequest, fastSessionMessage } from "../src/internal/sessionFastPath.js"
import { SessionMessageEnvelope, SessionMessageRequest } from "../src/Schemas.js"
import { documentedSuccess } from "./fixtures.js"

const decodeRequest = Schema.decodeUnknownEither(SessionMessageRequest)
const decodeEnvelope = Schema.decodeUnknownEither(SessionMessageEnvelope)

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

describe("session message fast paths agree with the schemas", () => {
  it("requests: where the fast path decodes, the schema decodes to the same value", () => {
    let fast = 0
    fc.assert(
      fc.property(request, (input) => {
        const result = fastRequest(input)
        if (result === undefined) return
        fast++
        const decoded = decodeRequest(input)
        expect(Either.isRight(decoded)).toBe(true)
        expect(result).toEqual(Either.getOrThrow(decoded))
      }),
      { numRuns: 3000, seed: 20261201 }
    )
    expect(fast).toBeGreaterThan(50)
  })

  it("answers: where the fast path decodes, the schema decodes to the same message", () => {
    let fast = 0
    fc.assert(
      fc.property(variant(documentedSuccess), (json) => {
        const result = fastSessionMessage(json)
        if (result === undefined) return
        fast++
        const decoded = decodeEnvelope(json)
        expect(Either.isRight(decoded)).toBe(true)
        expect(result).toEqual(Either.getOrThrow(decoded).data)
      }),
      { numRuns: 3000, seed: 20261201 }
    )
    expect(fast).toBeGreaterThan(50)
  })

  it("the documented answer and a normalised request take the fast path", () => {
    expect(fastSessionMessage(documentedSuccess)?.conversationId).toBe(documentedSuccess.data.conversation_id)
    expect(fastRequest({ from: "2348000000001", to: "2348012345678", message: "hi" })).toBeDefined()
    expect(fastRequest({ from: "+2348000000001", to: "2348012345678", message: "hi" })).toBeUndefined()
  })
})
