import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  InvalidInputError,
  MessageText,
  SessionMessage,
  SessionMessageEnvelope,
  SessionMessageRequest,
  validateSessionMessageRequest,
  WhatsAppNumber
} from "../src/effect.js"
import { documentedSuccess } from "./fixtures.js"

const decodeNumber = Schema.decodeUnknownEither(WhatsAppNumber)
const decodeRequest = Schema.decodeUnknownEither(SessionMessageRequest, { errors: "all" })

const validDigits = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 14 }))
  .map(([first, rest]) => `${first}${rest.join("")}`)

/** Writes digits the ways people do: groups split by separators, a `+` or `00` prefix. */
const humanWritten = validDigits.chain((digits) =>
  fc
    .tuple(
      fc.constantFrom("", "+", "00"),
      fc.array(fc.constantFrom("", " ", "-", ".", "(", ")", "[", "]"), {
        minLength: digits.length,
        maxLength: digits.length
      })
    )
    .map(([prefix, seps]) => ({ digits, written: prefix + [...digits].map((d, i) => d + seps[i]).join("") }))
)

describe("WhatsAppNumber", () => {
  it("normalises the documented human forms", () => {
    expect(decodeNumber("+234 801 234 5678")).toEqual(Either.right("2348012345678"))
    expect(decodeNumber("00234-801-234-5678")).toEqual(Either.right("2348012345678"))
    expect(decodeNumber("(234) 801.234.5678")).toEqual(Either.right("2348012345678"))
  })

  it("refuses numbers that are too short, too long, start with 0 or hold letters", () => {
    for (const bad of ["1234567", "1234567890123456", "0234801234567", "234801234567x", "", "+", "+0 123 456 789"]) {
      expect(Either.isLeft(decodeNumber(bad)), bad).toBe(true)
    }
  })

  it("property: any human-written valid number decodes to its digits", () => {
    fc.assert(
      fc.property(humanWritten, ({ digits, written }) => {
        expect(decodeNumber(written)).toEqual(Either.right(digits))
      })
    )
  })

  it("property: any string decodes to 8–15 digits not starting with 0, or fails with a message", () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const result = decodeNumber(input)
        if (Either.isRight(result)) expect(result.right).toMatch(/^[1-9]\d{7,14}$/)
        else expect(ParseResult.TreeFormatter.formatErrorSync(result.left)).toContain("WhatsApp number")
      })
    )
  })
})

describe("MessageText", () => {
  const decode = Schema.decodeUnknownEither(MessageText)
  it("accepts 4096 characters and refuses 4097, empty and blank", () => {
    expect(Either.isRight(decode("a".repeat(4096)))).toBe(true)
    expect(Either.isLeft(decode("a".repeat(4097)))).toBe(true)
    expect(Either.isLeft(decode(""))).toBe(true)
    expect(Either.isLeft(decode(" \n\t "))).toBe(true)
  })
})

describe("SessionMessageRequest", () => {
  it("lists every issue with its path", () => {
    const result = decodeRequest({ from: "12", to: 5, message: "" })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      const paths = ParseResult.ArrayFormatter.formatErrorSync(result.left).map((issue) => issue.path.join("."))
      expect(paths.sort()).toEqual(["from", "message", "to"])
    }
  })

  it("property: any input either decodes or fails with at least one located issue; never throws", () => {
    const loose = fc.oneof(
      fc.anything(),
      fc.record(
        {
          from: fc.oneof(fc.string(), validDigits, fc.anything()),
          to: fc.oneof(validDigits, fc.anything()),
          message: fc.oneof(fc.string(), fc.anything())
        },
        { requiredKeys: [] }
      )
    )
    fc.assert(
      fc.property(loose, (input) => {
        const result = decodeRequest(input)
        if (Either.isLeft(result))
          expect(ParseResult.ArrayFormatter.formatErrorSync(result.left).length).toBeGreaterThan(0)
        else expect(result.right.message.trim().length).toBeGreaterThan(0)
      })
    )
  })
})

describe("validateSessionMessageRequest", () => {
  it("property: any input succeeds or fails with an InvalidInputError listing located issues; never a defect", () => {
    const input = fc.oneof(
      fc.anything(),
      fc.record({
        from: fc.oneof(fc.string(), validDigits),
        to: fc.oneof(fc.string(), validDigits),
        message: fc.string()
      }),
      humanWritten.map(({ written }) => ({ from: written, to: written, message: "hello" }))
    )
    fc.assert(
      fc.property(input, (value) => {
        const exit = Effect.runSyncExit(validateSessionMessageRequest(value))
        if (Exit.isSuccess(exit)) {
          expect(exit.value.from).toMatch(/^[1-9]\d{7,14}$/)
          return
        }
        const failure = Cause.failureOption(exit.cause)
        expect(failure._tag).toBe("Some")
        const error = Option.getOrThrow(failure)
        expect(error).toBeInstanceOf(InvalidInputError)
        expect(error.sendOutcome).toBe("not-sent")
        expect(error.issues.length).toBeGreaterThan(0)
        expect(error.message).toMatch(/^Invalid input, nothing was sent/)
      })
    )
  })
})

describe("SessionMessage", () => {
  const decodeEnvelope = Schema.decodeUnknownSync(SessionMessageEnvelope)

  it("decodes the documented 200 body into camelCase with Dates", () => {
    const { data } = decodeEnvelope(documentedSuccess)
    expect(data.conversationId).toBe("65763b7f-b9a1-4370-b2ca-9cacfb0d65c2")
    expect(data.quotedMessageId).toBeNull()
    expect(data.createdAt).toEqual(new Date("2021-06-03T14:37:25.664Z"))
    expect(data.sender.lastActivity).toEqual(new Date("2021-06-03T14:37:24.684Z"))
  })

  it("tolerates unknown fields and absent nullable fields, accepts any contentType", () => {
    const { subject, imageUrl, quoted_message_id, ...rest } = documentedSuccess.data
    const data = Schema.decodeUnknownSync(SessionMessage)({ ...rest, contentType: "IMAGE", brandNew: { x: 1 } })
    expect(data.subject).toBeNull()
    expect(data.imageUrl).toBeNull()
    expect(data.quotedMessageId).toBeNull()
    expect(data.contentType).toBe("IMAGE")
    expect("brandNew" in data).toBe(false)
  })

  it("property: wire messages with any nullable values round-trip through decode and encode", () => {
    const isoDate = fc
      .date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true })
      .map((d) => d.toISOString())
    const nullable = fc.option(fc.string(), { nil: null })
    const wire = fc.record({
      id: fc.uuid(),
      content: fc.string(),
      contentType: fc.string(),
      sender: fc.record({ name: fc.string(), authUser: fc.boolean(), lastActivity: isoDate }),
      externalId: fc.string(),
      conversation_id: fc.uuid(),
      updatedAt: isoDate,
      createdAt: isoDate,
      subject: nullable,
      imageUrl: nullable,
      videoUrl: nullable,
      documentUrl: nullable,
      audioUrl: nullable,
      quoted_message_id: nullable
    })
    fc.assert(
      fc.property(wire, (input) => {
        const decoded = Schema.decodeUnknownSync(SessionMessage)(input)
        expect(Schema.encodeSync(SessionMessage)(decoded)).toEqual(input)
      })
    )
  })
})
