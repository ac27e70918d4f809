/** A WhatsApp business number connected to the emulated OneRoute account. */
export interface Channel {
  /** Business WhatsApp number, digits with country code, no `+`. */
  readonly number: string
  /** Channel name, returned as `data.sender.name`. */
  readonly name: string
}

/** A message the emulator accepted (recorded in `sent()`). */
export interface SentMessage {
  /** The `data.id` returned to the client. */
  readonly id: string
  /** Business number the message was sent from. */
  readonly from: string
  /** Customer number the message was sent to. */
  readonly to: string
  /** Message text. */
  readonly message: string
  /** Emulator-clock time at which it was accepted. */
  readonly at: Date
}

/** A template registered on a channel: how many parameters and buttons a message must give it. */
export interface RegisteredTemplate {
  /** The business number (a connected channel) the template belongs to. */
  readonly channel: string
  /** Lowercase letters, digits and underscores. */
  readonly name: string
  /** How many `{ type: "text", text }` parameters a message must carry. */
  readonly parameters: number
  /** How many buttons a message must carry (0: none, `buttons` absent or empty). */
  readonly buttons: number
}

/** A template message the emulator accepted for one recipient (recorded in `sentTemplates()`). */
export interface SentTemplate {
  /** The `data[i].response` returned to the client (a WhatsApp-like message id). */
  readonly id: string
  /** Business number it was sent from. */
  readonly from: string
  /** Customer number it was sent to. */
  readonly to: string
  /** The template's name and the texts of its parameters and buttons, in order. */
  readonly template: {
    readonly name: string
    readonly parameters: ReadonlyArray<string>
    readonly buttons: ReadonlyArray<string>
  }
  /** The request's `save`, when given. */
  readonly save?: boolean
  /** The request's `metadata`, when given (a copy). */
  readonly metadata?: Readonly<Record<string, unknown>>
  /** Emulator-clock time at which it was accepted. */
  readonly at: Date
}

/** Options shared by every fault: how many upcoming requests to the send endpoints it applies to (default 1). */
export interface FaultBase {
  /** How many upcoming requests the fault applies to (default 1). */
  readonly times?: number
}

/** Wait `ms` milliseconds (real time), then handle the request normally. */
export interface LatencyFault extends FaultBase {
  /** Wait, then answer normally. */
  readonly kind: "latency"
  /** How long to wait, in milliseconds of real time. */
  readonly ms: number
}

/** Answer with `status`; the body defaults to the JSON envelope with a message for that status. */
export interface StatusFault extends FaultBase {
  /** Answer with a status of your choice. */
  readonly kind: "status"
  /** The HTTP status to answer with. */
  readonly status: number
  /** The body to send instead of the default JSON envelope. */
  readonly body?: string
  /** Defaults to `application/json` for the default body, `text/plain; charset=utf-8` for a custom `body`. */
  readonly contentType?: string
}

/** Answer 429 "Too many requests", with `Retry-After` when `retryAfter` is given (seconds or an HTTP-date string). */
export interface RateLimitFault extends FaultBase {
  /** Answer 429. */
  readonly kind: "rate-limit"
  /** The `Retry-After` header: seconds, or an HTTP-date string. */
  readonly retryAfter?: number | string
}

/** Handle normally (a valid message IS recorded), but replace the body with non-JSON text. */
export interface MalformedFault extends FaultBase {
  /** Replace the body with text that is not JSON. */
  readonly kind: "malformed"
}

/** Handle normally (a valid message IS recorded), but send only the first half of the body's bytes. */
export interface TruncatedFault extends FaultBase {
  /** Send only the first half of the body. */
  readonly kind: "truncated"
}

/** Destroy the connection without a response; `after-accept` handles (and records) the message first. */
export interface ResetFault extends FaultBase {
  /** Destroy the connection without an answer. */
  readonly kind: "reset"
  /** `before-accept`: nothing is recorded; `after-accept`: the message is handled and recorded first. */
  readonly when: "before-accept" | "after-accept"
}

/** Never answer (until `reset()` or `close()`); with `accept: true` the message is handled and recorded first. */
export interface HangFault extends FaultBase {
  /** Never answer. */
  readonly kind: "hang"
  /** Whether the message is handled and recorded before the hang (default false). */
  readonly accept?: boolean
}

/**
 * A one-shot (or `times`-shot) fault for the next requests to the send endpoints (session,
 * template or campaign message, whichever comes), applied in FIFO order.
 */
export type Fault =
  | LatencyFault
  | StatusFault
  | RateLimitFault
  | MalformedFault
  | TruncatedFault
  | ResetFault
  | HangFault

/** One message of a campaign the emulator accepted (in `campaigns()`). */
export interface CampaignMessage {
  /** The caller's `identifier`, or a UUID the emulator generated when the message had none. */
  readonly identifier: string
  /** `"caller"` when the request gave the identifier, `"emulator"` when it was generated. */
  readonly identifierSource: "caller" | "emulator"
  /** Customer number. */
  readonly to: string
  /** The template's name and the texts of its parameters and buttons, in order. */
  readonly template: {
    readonly name: string
    readonly parameters: ReadonlyArray<string>
    readonly buttons: ReadonlyArray<string>
  }
  /** The request's `save`, when given. */
  readonly save?: boolean
  /** The request's `metadata`, when given (a copy). */
  readonly metadata?: Readonly<Record<string, unknown>>
  /** `"pending"` until the campaign is delivered; then `"sent"`, or `"failed"` (see `reason`). */
  readonly status: "pending" | "sent" | "failed"
  /** When sent: a WhatsApp-like message id (28 alphanumeric characters). */
  readonly id?: string
  /** When sent: the emulator time of delivery. */
  readonly sentAt?: Date
  /** When failed: why (the template is not registered on the channel, or its counts differ). */
  readonly reason?: string
  /** When failed: the emulator time of the attempt. */
  readonly failedAt?: Date
}

/** A campaign the emulator accepted (201) for later sending. */
export interface Campaign {
  /** The `campaign_id` returned to the client (a UUID). */
  readonly id: string
  /** Business number. */
  readonly from: string
  /** Emulator time of the 201. */
  readonly acceptedAt: Date
  /** Emulator time from which its messages are delivered. */
  readonly dueAt: Date
  /** Emulator time its messages were delivered, once they were. */
  readonly deliveredAt?: Date
  /** Its messages, in request order. */
  readonly messages: ReadonlyArray<CampaignMessage>
}

/** Where and how the emulator posts signed webhooks (`newMessage` on `receiveInbound`). */
export interface WebhookConfig {
  /** The receiver's URL (`http:` or `https:`); on loopback unless `allowRemote` is true. */
  readonly url: string
  /** Whether `url` may name a host other than loopback (default false: the emulator posts to this machine only). */
  readonly allowRemote: boolean
  /** Whether the payload carries the emulator's own `emulator: { customer, business }` numbers (default false). */
  readonly includeNumbers: boolean
  /** Real milliseconds one attempt may take (default 5,000; at most 60,000). */
  readonly timeoutMs: number
  /** Attempts per delivery, the first included (default 3; at most 10). */
  readonly maxAttempts: number
}

/** Options every webhook fault accepts: `times` (default 1), the number of events it applies to. */
export interface WebhookFaultBase {
  /** How many events the fault applies to (default 1). */
  readonly times?: number
}

/** Send the event `copies` times (default 2, at most 10), the same bytes and signature each time. */
export interface DuplicateWebhookFault extends WebhookFaultBase {
  /** Send the event more than once. */
  readonly kind: "duplicate"
  /** How many times (default 2, at most 10). */
  readonly copies?: number
}

/** Wait `ms` real milliseconds (at most 60,000) before sending the event. */
export interface DelayWebhookFault extends WebhookFaultBase {
  /** Send the event late. */
  readonly kind: "delay"
  /** How long to wait, in real milliseconds (at most 60,000). */
  readonly ms: number
}

/** Hold the event and send it right after the next event (or on `flushWebhooks()`). */
export interface ReorderWebhookFault extends WebhookFaultBase {
  /** Send the event after the next one. */
  readonly kind: "reorder"
}

/**
 * Sign wrongly: `"mismatch"` (default: 128 hex digits of another key's HMAC), `"missing"` (no
 * header) or `"malformed"` (the right signature cut to 64 hex digits).
 */
export interface BadSignatureWebhookFault extends WebhookFaultBase {
  /** Sign the event wrongly. */
  readonly kind: "bad-signature"
  /** How: another key's HMAC (`"mismatch"`, default), no header, or a cut signature. */
  readonly signature?: "mismatch" | "missing" | "malformed"
}

/**
 * Send the body pretty-printed with non-ASCII and `/` escaped: the raw bytes differ from what was
 * signed, and only OneRoute's recipe (`JSON.stringify(JSON.parse(raw))`) verifies.
 */
export interface ReserializedWebhookFault extends WebhookFaultBase {
  /** Send the body re-serialised, not as signed. */
  readonly kind: "reserialized"
}

/** Replace the message's text by one full of non-ASCII (accents, emoji, RTL, U+2028), signed over its UTF-8 bytes. */
export interface NonAsciiWebhookFault extends WebhookFaultBase {
  /** Send a text full of non-ASCII characters. */
  readonly kind: "non-ascii"
}

/** Pad the message's text so the body is `bytes` long or more (default 2 MiB; at most 16 MiB), correctly signed. */
export interface OversizeWebhookFault extends WebhookFaultBase {
  /** Send a body padded past a receiver's limit. */
  readonly kind: "oversize"
  /** The body's least size in bytes (default 2 MiB, at most 16 MiB). */
  readonly bytes?: number
}

/** A fault for the next webhook event(s), queued or given to one `receiveInbound`. */
export type WebhookFault =
  | DuplicateWebhookFault
  | DelayWebhookFault
  | ReorderWebhookFault
  | BadSignatureWebhookFault
  | ReserializedWebhookFault
  | NonAsciiWebhookFault
  | OversizeWebhookFault

/** One attempt to deliver one copy of a webhook event (in `webhookDeliveries()`). */
export interface WebhookDelivery {
  /** The emulator's id of the event (copies and attempts of one event share it). */
  readonly eventId: string
  /** `"newMessage"`. */
  readonly event: "newMessage"
  /** The payload's `conversation.id`: the session send's `conversation_id` for the same numbers. */
  readonly conversationId: string
  /** Which copy (1, or more under a `duplicate` fault). */
  readonly copy: number
  /** Which attempt of that copy (1, then the retries). */
  readonly attempt: number
  /** The fault applied to the event, if any. */
  readonly fault?: WebhookFault["kind"]
  /** The status the receiver answered; absent when it did not answer (see `error`). */
  readonly status?: number
  /** Why no status: a network error, a timeout, or a reset of the emulator. */
  readonly error?: string
  /** Size of the body sent, in bytes. */
  readonly bytes: number
  /** Emulator time the attempt was made. */
  readonly at: Date
}
