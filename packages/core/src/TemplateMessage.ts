/**
 * Template messages (`POST /api/public/conversation/template`): what a business sends when the
 * customer's 24-hour window is closed. WhatsApp only delivers templates that were registered and
 * approved; they can be sent at any time. One request carries up to
 * {@link MAX_TEMPLATE_RECIPIENTS} recipients, and the answer has one outcome per recipient.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { InvalidInputError } from "./Errors.js"
import { validator } from "./internal/validation.js"
import { WhatsAppNumber } from "./Schemas.js"

/**
 * The longest template name, in characters (WhatsApp's own limit for template names).
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_NAME_LENGTH = 512

/**
 * The longest parameter or button text, in UTF-16 code units (WhatsApp's limit for a template's
 * body text, which a parameter cannot exceed).
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_TEXT_LENGTH = 1024

/**
 * The most parameters one template message carries.
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_PARAMETERS = 100

/**
 * The most buttons one template message carries (WhatsApp allows up to 10).
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_BUTTONS = 10

/**
 * The largest `metadata`, in bytes of its UTF-8 JSON.
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_METADATA_BYTES = 4096

/**
 * The most recipients (`messages`) in one `sendTemplateMessage` request. OneRoute documents no
 * bound; the SDK chooses 100 so a request and its answer stay small. Send more in several requests
 * (or through OneRoute's campaign API).
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_RECIPIENTS = 100

/**
 * A template's name as registered on OneRoute: lowercase letters, digits and underscores,
 * 1 to {@link MAX_TEMPLATE_NAME_LENGTH} characters (for example `first_welcome_message`).
 *
 * @since 0.2.0
 */
export const TemplateName = Schema.String.pipe(
  Schema.minLength(1, { message: () => "The template name must not be empty" }),
  Schema.maxLength(MAX_TEMPLATE_NAME_LENGTH, {
    message: (issue) =>
      `The template name is ${String(issue.actual).length} characters long; at most ${MAX_TEMPLATE_NAME_LENGTH} are allowed`
  }),
  Schema.pattern(/^[a-z0-9_]+$/, {
    message: (issue) => {
      const actual = String(issue.actual)
      const shown = actual.length > 60 ? `${JSON.stringify(actual.slice(0, 60))}…` : JSON.stringify(actual)
      return `A template name has only lowercase letters, digits and underscores (for example order_update), got ${shown}`
    }
  })
).annotations({ identifier: "TemplateName" })

/**
 * The text of a template parameter or button: not blank, at most
 * {@link MAX_TEMPLATE_TEXT_LENGTH} characters.
 *
 * @since 0.2.0
 */
export const TemplateText = Schema.String.pipe(
  Schema.filter((text) => text.trim().length > 0, { message: () => "The text must not be blank" }),
  Schema.maxLength(MAX_TEMPLATE_TEXT_LENGTH, {
    message: (issue) =>
      `The text is ${String(issue.actual).length} characters long; at most ${MAX_TEMPLATE_TEXT_LENGTH} are allowed`
  })
).annotations({ identifier: "TemplateText" })

/**
 * A value for a template placeholder (or a button): `{ type: "text", text }`, the only type
 * OneRoute documents.
 *
 * @since 0.2.0
 */
export const TemplateParameter = Schema.Struct({
  type: Schema.Literal("text"),
  text: TemplateText
}).annotations({ identifier: "TemplateParameter" })

/** @since 0.2.0 */
export interface TemplateParameter extends Schema.Schema.Type<typeof TemplateParameter> {}

const Parameters = (max: number, what: string) =>
  Schema.Array(TemplateParameter).pipe(
    Schema.maxItems(max, {
      message: (issue) => `At most ${max} ${what} are allowed, got ${(issue.actual as ReadonlyArray<unknown>).length}`
    })
  )

/**
 * The template to send: its `name`, the `parameters` in placeholder order (an empty array when
 * the template has none), and `buttons` (an authentication template's code button, for example).
 *
 * @since 0.2.0
 */
export const Template = Schema.Struct({
  name: TemplateName,
  parameters: Parameters(MAX_TEMPLATE_PARAMETERS, "parameters"),
  buttons: Schema.optionalWith(Parameters(MAX_TEMPLATE_BUTTONS, "buttons"), { exact: true })
}).annotations({ identifier: "Template" })

/** @since 0.2.0 */
export interface Template extends Schema.Schema.Type<typeof Template> {}

/** What is wrong with `value` as JSON (first problem only), walking at most `budget` characters of strings. */
const jsonProblem = (value: unknown, depth: number, budget: { chars: number }): string | undefined => {
  if (depth > 32) return "metadata must not nest deeper than 32 levels"
  if (value === null || typeof value === "boolean") return undefined
  if (typeof value === "number") return Number.isFinite(value) ? undefined : "metadata numbers must be finite"
  if (typeof value === "string") {
    budget.chars -= value.length
    return undefined
  }
  if (typeof value !== "object") return `metadata must hold JSON values only, got a ${typeof value}`
  const prototype: unknown = Object.getPrototypeOf(value)
  const isArray = Array.isArray(value)
  if (!isArray && prototype !== Object.prototype && prototype !== null) {
    return "metadata must hold plain objects, arrays, strings, numbers, booleans and null only"
  }
  for (const [key, field] of Object.entries(value)) {
    budget.chars -= key.length
    // A string is at least one UTF-8 byte per UTF-16 unit: past the limit already, stop walking.
    if (budget.chars < 0) return undefined
    const problem = jsonProblem(field, depth + 1, budget)
    if (problem !== undefined) return problem
  }
  return undefined
}

/**
 * A JSON object, passed through as given: `Schema.Record` would rebuild it by assignment, and a
 * `__proto__` key (valid JSON, as `JSON.parse` makes it) would set the copy's prototype instead
 * of being sent.
 */
const JsonObject = Schema.declare(
  (input: unknown): input is { readonly [key: string]: unknown } =>
    typeof input === "object" && input !== null && !Array.isArray(input),
  { message: () => "metadata must be a JSON object" }
)

const utf8Length = (text: string): number => new TextEncoder().encode(text).byteLength

/**
 * Custom data stored with the message on OneRoute: a JSON object (plain objects, arrays,
 * strings, finite numbers, booleans, `null`) of at most {@link MAX_TEMPLATE_METADATA_BYTES}
 * bytes as UTF-8 JSON.
 *
 * @since 0.2.0
 */
export const TemplateMetadata = JsonObject.pipe(
  Schema.filter((metadata) => {
    const budget = { chars: MAX_TEMPLATE_METADATA_BYTES }
    const problem = jsonProblem(metadata, 0, budget)
    if (problem !== undefined) return problem
    const bytes = budget.chars < 0 ? Number.POSITIVE_INFINITY : utf8Length(JSON.stringify(metadata))
    return bytes <= MAX_TEMPLATE_METADATA_BYTES
      ? true
      : `metadata must be at most ${MAX_TEMPLATE_METADATA_BYTES} bytes of JSON${Number.isFinite(bytes) ? `, got ${bytes}` : ""}`
  })
).annotations({ identifier: "TemplateMetadata" })

/**
 * One recipient of a template message: the customer's number (`to`, normalised like every
 * {@link WhatsAppNumber}), the template, whether OneRoute saves it as a conversation (`save`), and
 * custom `metadata`. Leave out `save` and `metadata` rather than setting them to `undefined`.
 *
 * @since 0.2.0
 */
export const TemplateRecipient = Schema.Struct({
  to: WhatsAppNumber,
  template: Template,
  save: Schema.optionalWith(Schema.Boolean, { exact: true }),
  metadata: Schema.optionalWith(TemplateMetadata, { exact: true })
}).annotations({ identifier: "TemplateRecipient" })

/** @since 0.2.0 */
export interface TemplateRecipient extends Schema.Schema.Type<typeof TemplateRecipient> {}

/**
 * What `sendTemplateMessage` takes: the business number (`from`, connected to a OneRoute channel)
 * and 1 to {@link MAX_TEMPLATE_RECIPIENTS} recipients (`messages`). Unknown fields are dropped.
 *
 * @since 0.2.0
 */
export const TemplateMessageRequest = Schema.Struct({
  from: WhatsAppNumber,
  messages: Schema.Array(TemplateRecipient).pipe(
    Schema.minItems(1, { message: () => "A template message needs at least one recipient in messages" }),
    Schema.maxItems(MAX_TEMPLATE_RECIPIENTS, {
      message: (issue) =>
        `A template message request carries at most ${MAX_TEMPLATE_RECIPIENTS} recipients, got ${(issue.actual as ReadonlyArray<unknown>).length}; send the rest in another request`
    })
  )
}).annotations({ identifier: "TemplateMessageRequest" })

/** @since 0.2.0 */
export interface TemplateMessageRequest extends Schema.Schema.Type<typeof TemplateMessageRequest> {}

/** @since 0.2.0 */
export declare namespace TemplateMessageRequest {
  /** The plain input the SDK accepts before normalisation. */
  export type Encoded = Schema.Schema.Encoded<typeof TemplateMessageRequest>
}

const validateRequest = validator(TemplateMessageRequest)

/**
 * Decodes and normalises untrusted input, failing with an `InvalidInputError` that lists every
 * issue with its path (`messages.0.template.name`). What `sendTemplateMessage` (and the relay)
 * run before any request.
 *
 * @since 0.2.0
 */
export const validateTemplateMessageRequest = (
  input: unknown
): Effect.Effect<TemplateMessageRequest, InvalidInputError> => validateRequest(input)

/**
 * A recipient OneRoute reported as sent (`data[i].status === "success"`), with the id it gave
 * (`data[i].response`, a WhatsApp message id).
 *
 * @since 0.2.0
 */
export interface TemplateSent {
  readonly to: WhatsAppNumber
  readonly status: "sent"
  readonly messageId: string
}

/**
 * The longest `serverStatus` kept, in characters.
 *
 * @since 0.3.0
 */
export const MAX_SERVER_STATUS_LENGTH = 100

/**
 * The longest `detail` kept, in characters.
 *
 * @since 0.3.0
 */
export const MAX_DETAIL_LENGTH = 500

/**
 * A recipient OneRoute reported as not sent: its entry's `status` was `"failed"`, `"failure"` or
 * `"error"` (any case). `serverStatus` is that status, `detail` what OneRoute said (the entry's
 * `response`, at most {@link MAX_DETAIL_LENGTH} characters) or a description. Nothing was sent to
 * this recipient as far as OneRoute says: resending it cannot deliver it twice.
 *
 * @since 0.2.0
 */
export interface TemplateFailed {
  readonly to: WhatsAppNumber
  readonly status: "failed"
  readonly serverStatus: string
  readonly detail: string
}

/**
 * A recipient whose entry the SDK cannot read as sent or failed: a `status` other than
 * `"success"` or a failure word (`"SUCCESS"`, `"queued"`, `"delivered"`, `true`, none…). It may
 * have been sent: check before resending. `messageId` is the entry's `response` when it looks like
 * an id (no spaces, at most 200 characters), else `null`; `serverStatus` the status as text (at most
 * {@link MAX_SERVER_STATUS_LENGTH} characters; `null` when the entry had none).
 *
 * @since 0.3.0
 */
export interface TemplateUnknown {
  readonly to: WhatsAppNumber
  readonly status: "unknown"
  readonly serverStatus: string | null
  readonly messageId: string | null
  readonly detail: string
}

/**
 * What happened to one recipient; switch on `status`: `"sent"`, `"failed"` (certainly not sent)
 * or `"unknown"` (may have been sent).
 *
 * @since 0.2.0
 */
export type TemplateOutcome = TemplateSent | TemplateFailed | TemplateUnknown

/**
 * The answer to `sendTemplateMessage`: one outcome per recipient, in request order
 * (`outcomes[i]` is `messages[i]`), and OneRoute's `message`. The send succeeds as soon as
 * OneRoute answers for every recipient, **even if some or all of them failed**: check each
 * outcome, and never resend an `"unknown"` one without checking. When the number of entries OneRoute returns differs from the number of recipients, the
 * SDK cannot tell who got what, so there is no result: the send fails with
 * `UnexpectedResponseError` (`sendOutcome: "unknown"`).
 *
 * @since 0.2.0
 */
export interface TemplateMessageResult {
  readonly message: string
  readonly outcomes: ReadonlyArray<TemplateOutcome>
}
