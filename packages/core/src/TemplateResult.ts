/**
 * What `sendTemplateMessage` answers: one outcome per recipient. Plain types: importing them
 * loads no `effect/Schema`.
 *
 * @since 0.3.0
 */
import type { WhatsAppNumber } from "./Schemas.js"

export {
  MAX_DETAIL_LENGTH,
  MAX_SERVER_STATUS_LENGTH,
  MAX_TEMPLATE_BUTTONS,
  MAX_TEMPLATE_METADATA_BYTES,
  MAX_TEMPLATE_NAME_LENGTH,
  MAX_TEMPLATE_PARAMETERS,
  MAX_TEMPLATE_RECIPIENTS,
  MAX_TEMPLATE_TEXT_LENGTH
} from "./internal/limits.js"

/**
 * A recipient OneRoute reported as sent (`data[i].status === "success"`), with the id it gave
 * (`data[i].response`, a WhatsApp message id).
 *
 * @since 0.2.0
 */
export interface TemplateSent {
  /** The recipient, normalised (digits only). */
  readonly to: WhatsAppNumber
  /** Sent: OneRoute's entry said exactly `"success"`. */
  readonly status: "sent"
  /** The WhatsApp message id OneRoute gave (the entry's `response`). */
  readonly messageId: string
}

/**
 * A recipient OneRoute reported as not sent: its entry's `status` was `"failed"`, `"failure"` or
 * `"error"` (any case). `serverStatus` is that status, `detail` what OneRoute said (the entry's
 * `response`, at most `MAX_DETAIL_LENGTH` characters) or a description. Nothing was sent to
 * this recipient as far as OneRoute says: resending it cannot deliver it twice.
 *
 * @since 0.2.0
 */
export interface TemplateFailed {
  /** The recipient, normalised (digits only). */
  readonly to: WhatsAppNumber
  /** Certainly not sent: resending cannot deliver it twice. */
  readonly status: "failed"
  /** The entry's status as OneRoute wrote it (`"failed"`, `"failure"` or `"error"`, any case). */
  readonly serverStatus: string
  /** What OneRoute said (the entry's `response`, at most `MAX_DETAIL_LENGTH` characters) or a description. */
  readonly detail: string
}

/**
 * A recipient whose entry the SDK cannot read as sent or failed: a `status` other than
 * `"success"` or a failure word (`"SUCCESS"`, `"queued"`, `"delivered"`, `true`, none…). It may
 * have been sent: check before resending. `messageId` is the entry's `response` when it looks like
 * an id (no spaces, at most 200 characters), else `null`; `serverStatus` the status as text (at most
 * `MAX_SERVER_STATUS_LENGTH` characters; `null` when the entry had none).
 *
 * @since 0.3.0
 */
export interface TemplateUnknown {
  /** The recipient, normalised (digits only). */
  readonly to: WhatsAppNumber
  /** May have been sent: check the conversation before resending. */
  readonly status: "unknown"
  /** The entry's status as text (at most `MAX_SERVER_STATUS_LENGTH` characters), or `null` when it had none. */
  readonly serverStatus: string | null
  /** The entry's `response` when it looks like a message id, else `null`. */
  readonly messageId: string | null
  /** What OneRoute said, or a description of the entry (at most `MAX_DETAIL_LENGTH` characters). */
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
  /** OneRoute's `message` for the whole request (for example `"Message sent to customer"`). */
  readonly message: string
  /** One outcome per recipient, in request order: `outcomes[i]` is `messages[i]`. */
  readonly outcomes: ReadonlyArray<TemplateOutcome>
}
