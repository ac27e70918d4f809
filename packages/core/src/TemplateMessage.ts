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
import {
  MAX_TEMPLATE_BUTTONS,
  MAX_TEMPLATE_NAME_LENGTH,
  MAX_TEMPLATE_PARAMETERS,
  MAX_TEMPLATE_RECIPIENTS,
  MAX_TEMPLATE_TEXT_LENGTH,
  metadataProblem
} from "./internal/limits.js"
import { validator } from "./internal/validation.js"
import { WhatsAppNumber } from "./Schemas.js"

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

/**
 * Custom data stored with the message on OneRoute: a JSON object (plain objects, arrays,
 * strings, finite numbers, booleans, `null`) of at most {@link MAX_TEMPLATE_METADATA_BYTES}
 * bytes as UTF-8 JSON.
 *
 * @since 0.2.0
 */
export const TemplateMetadata = JsonObject.pipe(
  Schema.filter((metadata) => metadataProblem(metadata) ?? true)
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
