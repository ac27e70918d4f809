/**
 * Schemas for the OneRoute "send session message" endpoint: what the SDK accepts and what
 * OneRoute answers. Everything here is `effect/Schema` (not the deprecated `@effect/schema`).
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { InvalidInputError } from "./Errors.js"
import { detach } from "./internal/answer/shown.js"
import { E164_DIGITS, MAX_MESSAGE_LENGTH, normaliseNumber } from "./internal/limits.js"
import { validator } from "./internal/validation.js"

/** How much of an input value an issue message echoes. */
const ECHO_LENGTH = 100

/** An input value as an issue message shows it: as JSON, cut at 100 characters with its full length. */
const echo = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value)
  if (text.length <= ECHO_LENGTH) return text
  const length = typeof value === "string" ? value.length : text.length
  return detach(`${text.slice(0, ECHO_LENGTH)}… (${length} characters)`)
}

const WhatsAppDigits = Schema.String.pipe(
  Schema.pattern(E164_DIGITS, {
    message: (issue) =>
      `Expected a WhatsApp number: the country code and 8 to 15 digits, not starting with 0 (for example 2348012345678), got ${echo(issue.actual)}`
  }),
  Schema.brand("WhatsAppNumber")
)

/**
 * A WhatsApp number as OneRoute wants it: digits with the country code, no `+`.
 * Decoding accepts the ways people write numbers (`+234 801 234 5678`, `00234-801-234-5678`,
 * `(234) 8012345678`) and normalises them.
 *
 * @since 0.1.0
 */
export const WhatsAppNumber = Schema.transform(Schema.String, WhatsAppDigits, {
  strict: true,
  decode: normaliseNumber,
  encode: (digits) => digits
}).annotations({ identifier: "WhatsAppNumber" })

/** @since 0.1.0 */
export type WhatsAppNumber = typeof WhatsAppNumber.Type

/**
 * The text of a session message: not blank, at most 4096 characters.
 *
 * @since 0.1.0
 */
export const MessageText = Schema.String.pipe(
  Schema.filter((text) => text.trim().length > 0, { message: () => "The message must not be blank" }),
  Schema.maxLength(MAX_MESSAGE_LENGTH, {
    message: (issue) =>
      `The message is ${String(issue.actual).length} characters long; WhatsApp allows at most ${MAX_MESSAGE_LENGTH}`
  })
).annotations({ identifier: "MessageText" })

/**
 * What `sendSessionMessage` takes: the business number (`from`, connected to a OneRoute
 * channel), the customer's number (`to`) and the text.
 *
 * @since 0.1.0
 */
export const SessionMessageRequest = Schema.Struct({
  from: WhatsAppNumber,
  to: WhatsAppNumber,
  message: MessageText
}).annotations({ identifier: "SessionMessageRequest" })

/** @since 0.1.0 */
export interface SessionMessageRequest extends Schema.Schema.Type<typeof SessionMessageRequest> {}

/** @since 0.1.0 */
export declare namespace SessionMessageRequest {
  /** The plain-string input the SDK accepts before normalisation. */
  export type Encoded = Schema.Schema.Encoded<typeof SessionMessageRequest>
}

const validateRequest = validator(SessionMessageRequest)

/**
 * Decodes and normalises untrusted input, failing with an `InvalidInputError` that lists every
 * issue with its path. What `sendSessionMessage` (and the relay) run before any request.
 *
 * @since 0.1.0
 */
export const validateSessionMessageRequest = (
  input: unknown
): Effect.Effect<SessionMessageRequest, InvalidInputError> => validateRequest(input)

/** A nullable field that may also be absent; absent decodes as `null`. */
const NullableString = Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })

/**
 * Who sent the message, as OneRoute reports it.
 *
 * @since 0.1.0
 */
export const Sender = Schema.Struct({
  name: Schema.String,
  authUser: Schema.Boolean,
  lastActivity: Schema.Date
}).annotations({ identifier: "Sender" })

/**
 * The message OneRoute created (`data` of a 200 answer), in camelCase with `Date`s.
 * Unknown extra fields are tolerated and dropped.
 *
 * @since 0.1.0
 */
export const SessionMessage = Schema.Struct({
  id: Schema.String,
  content: Schema.String,
  /** `"TEXT"` is the documented value; any string is accepted. */
  contentType: Schema.String,
  sender: Sender,
  externalId: Schema.String,
  conversationId: Schema.propertySignature(Schema.String).pipe(Schema.fromKey("conversation_id")),
  createdAt: Schema.Date,
  updatedAt: Schema.Date,
  subject: NullableString,
  imageUrl: NullableString,
  videoUrl: NullableString,
  documentUrl: NullableString,
  audioUrl: NullableString,
  quotedMessageId: NullableString.pipe(Schema.fromKey("quoted_message_id"))
}).annotations({ identifier: "SessionMessage" })

/** @since 0.1.0 */
export interface SessionMessage extends Schema.Schema.Type<typeof SessionMessage> {}

/**
 * The documented success answer: `{ data, message, success: true }`.
 *
 * @since 0.1.0
 */
export const SessionMessageEnvelope = Schema.Struct({
  data: SessionMessage,
  message: Schema.String,
  success: Schema.Literal(true)
}).annotations({ identifier: "SessionMessageEnvelope" })

/**
 * The failure answer OneRoute uses (documented for 401): `{ data: null, message, success: false }`.
 *
 * @since 0.1.0
 */
export const FailureEnvelope = Schema.Struct({
  data: Schema.optional(Schema.Unknown),
  message: Schema.String,
  success: Schema.Literal(false)
}).annotations({ identifier: "FailureEnvelope" })
