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

/** Options shared by every fault: how many upcoming requests to either send endpoint it applies to (default 1). */
export interface FaultBase {
  readonly times?: number
}

/** Wait `ms` milliseconds (real time), then handle the request normally. */
export interface LatencyFault extends FaultBase {
  readonly kind: "latency"
  readonly ms: number
}

/** Answer with `status`; the body defaults to the JSON envelope with a message for that status. */
export interface StatusFault extends FaultBase {
  readonly kind: "status"
  readonly status: number
  readonly body?: string
  /** Defaults to `application/json` for the default body, `text/plain; charset=utf-8` for a custom `body`. */
  readonly contentType?: string
}

/** Answer 429 "Too many requests", with `Retry-After` when `retryAfter` is given (seconds or an HTTP-date string). */
export interface RateLimitFault extends FaultBase {
  readonly kind: "rate-limit"
  readonly retryAfter?: number | string
}

/** Handle normally (a valid message IS recorded), but replace the body with non-JSON text. */
export interface MalformedFault extends FaultBase {
  readonly kind: "malformed"
}

/** Handle normally (a valid message IS recorded), but send only the first half of the body's bytes. */
export interface TruncatedFault extends FaultBase {
  readonly kind: "truncated"
}

/** Destroy the connection without a response; `after-accept` handles (and records) the message first. */
export interface ResetFault extends FaultBase {
  readonly kind: "reset"
  readonly when: "before-accept" | "after-accept"
}

/** Never answer (until `reset()` or `close()`); with `accept: true` the message is handled and recorded first. */
export interface HangFault extends FaultBase {
  readonly kind: "hang"
  readonly accept?: boolean
}

/**
 * A one-shot (or `times`-shot) fault for the next requests to either send endpoint (session or
 * template message, whichever comes), applied in FIFO order.
 */
export type Fault =
  | LatencyFault
  | StatusFault
  | RateLimitFault
  | MalformedFault
  | TruncatedFault
  | ResetFault
  | HangFault
