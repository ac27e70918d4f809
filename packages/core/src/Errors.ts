/**
 * Every way a send can fail, as tagged errors: real `Error`s with a `_tag` (`catchTag`-able),
 * plain JSON, and `sendOutcome`: `"not-sent"` means OneRoute certainly did not
 * send the WhatsApp message (safe to retry); `"unknown"` means it may have (check before
 * resending). They load no `effect/Schema`: importing the SDK stays cheap. A relay forwards them as
 * plain JSON, and relay-mode clients decode them back into the same classes.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import * as DurationRuntime from "effect/Duration"
import { formatMillis } from "./internal/format.js"
import { TaggedError } from "./internal/taggedError.js"

/**
 * Whether OneRoute may have sent the message: `"not-sent"` (certainly not) or `"unknown"`.
 *
 * @since 0.1.0
 */
export type SendOutcome = "not-sent" | "unknown"

/**
 * One problem with the input, located by its path (`["to"]`, `["message"]`).
 *
 * @since 0.1.0
 */
export interface InputIssue {
  /** Where in the input: property names and array indexes (`["messages", 0, "to"]`); empty for the input itself. */
  readonly path: ReadonlyArray<string | number>
  /** What is wrong there, and what is expected. */
  readonly message: string
}

const detail = (text: string | undefined) => (text === undefined ? "" : `: ${text}`)

/** Optional fields given as `undefined` are left out, so `toJSON` and equality see what was set. */
const defined = <A extends object>(fields: A): A =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as A

/**
 * The input failed the schemas. No request was made.
 *
 * @since 0.1.0
 */
export class InvalidInputError extends TaggedError("InvalidInputError")<{
  /** Every problem with the input (at most 20, the rest counted in a last one), each with its path. */
  readonly issues: ReadonlyArray<InputIssue>
  /** Always `"not-sent"`: OneRoute certainly did not send the message. */
  readonly sendOutcome: SendOutcome
}> {
  constructor(fields: { readonly issues: ReadonlyArray<InputIssue> }) {
    super({ issues: fields.issues, sendOutcome: "not-sent" })
  }

  /** Lists each issue with its path; says that nothing was sent. */
  override get message(): string {
    const lines = this.issues.map((issue) => `${issue.path.join(".") || "(input)"}: ${issue.message}`)
    return `Invalid input, nothing was sent. Fix: ${lines.join("; ")}`
  }
}

/**
 * OneRoute answered 401: the API key is missing, wrong or revoked.
 *
 * @since 0.1.0
 */
export class InvalidApiKeyError extends TaggedError("InvalidApiKeyError")<{
  /** OneRoute's `message` from the answer's body, when it had one. */
  readonly serverMessage?: string
  /** Always `"not-sent"`: OneRoute certainly did not send the message. */
  readonly sendOutcome: SendOutcome
}> {
  constructor(fields: { readonly serverMessage?: string | undefined } = {}) {
    super({ ...defined(fields), sendOutcome: "not-sent" } as { serverMessage?: string; sendOutcome: SendOutcome })
  }

  /** Says the key was refused and where to check it; never contains the key. */
  override get message(): string {
    return `OneRoute rejected the API key (HTTP 401${detail(this.serverMessage)}). Check the apiKey option or ONEROUTE_API_KEY against the key in your OneRoute dashboard.`
  }
}

/**
 * OneRoute answered 429. `retryAfter` is the server's `Retry-After`, when it sent one: a
 * `Duration` for Effect code, `retryAfterMs` the same in milliseconds for everyone else (and what
 * `JSON.stringify` shows).
 *
 * @since 0.1.0
 */
export class RateLimitedError extends TaggedError("RateLimitedError")<{
  /** How long the server asked to wait (its `Retry-After` header), when it said. */
  readonly retryAfter?: Duration.Duration
  /** OneRoute's `message` from the answer's body, when it had one. */
  readonly serverMessage?: string
  /** Always `"not-sent"`: OneRoute certainly did not send the message. */
  readonly sendOutcome: SendOutcome
}> {
  constructor(
    fields: { readonly retryAfter?: Duration.Duration | undefined; readonly serverMessage?: string | undefined } = {}
  ) {
    super({ ...defined(fields), sendOutcome: "not-sent" } as { sendOutcome: SendOutcome })
  }

  /** `retryAfter` in milliseconds, or `undefined` when the server sent no `Retry-After`. */
  get retryAfterMs(): number | undefined {
    return this.retryAfter === undefined ? undefined : DurationRuntime.toMillis(this.retryAfter)
  }

  /** Says OneRoute refused for the rate and when to retry (`Retry after 7 s.`). */
  override get message(): string {
    const wait = this.retryAfterMs === undefined ? "" : ` Retry after ${formatMillis(this.retryAfterMs)}.`
    return `OneRoute is rate limiting this API key (HTTP 429${detail(this.serverMessage)}). The message was not sent.${wait}`
  }

  /** Plain JSON: `retryAfterMs` (a number) in place of the `Duration`. */
  override toJSON(): unknown {
    const { retryAfter: _duration, ...fields } = { ...this } as Record<string, unknown>
    return this.retryAfterMs === undefined ? fields : { ...fields, retryAfterMs: this.retryAfterMs }
  }
}

/**
 * Why a message was refused, for code to switch on; `"unknown"` when the SDK cannot tell.
 *
 * OneRoute documents none of its refusals, so the first three are read from the server's
 * `message` (what the emulator answers, and wordings of the same facts): the 24-hour customer
 * service window is closed, `from` is not connected to a channel, `to` is not a usable number.
 * The `relay-*` reasons are set by your own relay (`refusedBy: "relay"`), which knows exactly why:
 * - `"relay-unauthorized"`: its `authorize` said no (401);
 * - `"relay-origin"`: the page's origin is not allowed (403);
 * - `"relay-from-not-allowed"`: `from` is not in `allowedFrom` (403);
 * - `"relay-body-too-large"` (413), `"relay-content-type"` (415), `"relay-method"` (405),
 *   `"relay-path"` (404: the request's path names no endpoint the relay forwards);
 * - `"relay-idempotency-conflict"`: the `Idempotency-Key` was used for another message (422);
 * - `"relay-store-full"` / `"relay-store-unavailable"`: its idempotency store is at its limit or
 *   unreachable (503; retry later).
 *
 * New reasons may be added in minor versions: keep a `default` branch. A reason this version
 * does not know (from a newer relay) decodes as `"unknown"`. `REJECTED_REASONS` lists them.
 *
 * @since 0.1.0
 */
export const REJECTED_REASONS = [
  "window-closed",
  "channel-not-connected",
  "invalid-recipient",
  "relay-unauthorized",
  "relay-origin",
  "relay-from-not-allowed",
  "relay-body-too-large",
  "relay-content-type",
  "relay-method",
  "relay-path",
  "relay-idempotency-conflict",
  "relay-store-full",
  "relay-store-unavailable",
  "unknown"
] as const

/** @since 0.1.0 */
export type RejectedReason = (typeof REJECTED_REASONS)[number]

/**
 * OneRoute refused the message: a 4xx other than 401/429, or any `success: false` answer
 * (for example the customer service window is closed, or `from` is not connected to a channel).
 * `reason` says which, when the SDK can tell (see {@link RejectedReason}). In relay mode,
 * `refusedBy: "relay"` says that your own relay refused it before OneRoute saw it (not
 * authorised, an origin or `from` it does not allow, a body too large, its idempotency store
 * full or unreachable), with a `relay-*` reason.
 *
 * @since 0.1.0
 */
export class RejectedError extends TaggedError("RejectedError")<{
  /** The HTTP status of the refusal. */
  readonly status: number
  /** OneRoute's (or the relay's) `message`, when the body had one. */
  readonly serverMessage?: string
  /** Why, for code to switch on; `"unknown"` when the SDK cannot tell. */
  readonly reason: RejectedReason
  /** `"relay"` when your own relay refused it; absent when OneRoute did. */
  readonly refusedBy?: "relay"
  /**
   * `"not-sent"` when the answer proves OneRoute did not act (a refusal status such as 400, 403,
   * 404 or 422 whose body reports nothing done); `"unknown"` for a refusal that proves nothing
   * (408, 409, 499, a `success: false` on a 2xx, or a body whose `data` shows something done).
   */
  readonly sendOutcome: SendOutcome
}> {
  constructor(fields: {
    readonly status: number
    readonly serverMessage?: string | undefined
    readonly reason?: RejectedReason | undefined
    readonly refusedBy?: "relay" | undefined
    readonly sendOutcome?: SendOutcome | undefined
  }) {
    super({ reason: "unknown", sendOutcome: "not-sent", ...defined(fields) } as {
      status: number
      reason: RejectedReason
      sendOutcome: SendOutcome
    })
  }

  /** OneRoute's refusal (or the relay's) and whether it proves nothing was sent. */
  override get message(): string {
    const who = this.refusedBy === "relay" ? "The relay" : "OneRoute"
    if (this.sendOutcome === "unknown") {
      return `${who} refused the message (HTTP ${this.status}${detail(this.serverMessage)}), but the answer does not prove it was not sent; check the conversation before resending.`
    }
    const next =
      this.status >= 500
        ? "try again later"
        : "resending the same request will fail the same way until the cause is fixed"
    return `${who} refused the message (HTTP ${this.status}${detail(this.serverMessage)}). It was not sent; ${next}.`
  }
}

/**
 * OneRoute answered 5xx. The message may have been sent.
 *
 * @since 0.1.0
 */
export class ServerError extends TaggedError("ServerError")<{
  /** The HTTP status of OneRoute's answer. */
  readonly status: number
  /** OneRoute's `message` from the answer's body, when it had one. */
  readonly serverMessage?: string
  /** Always `"unknown"`: the message may have been sent; check before resending. */
  readonly sendOutcome: SendOutcome
}> {
  constructor(fields: { readonly status: number; readonly serverMessage?: string | undefined }) {
    super({ ...defined(fields), sendOutcome: "unknown" } as { status: number; sendOutcome: SendOutcome })
  }

  /** The 5xx status, what the server said, and that the message may have been sent. */
  override get message(): string {
    return `OneRoute failed with HTTP ${this.status}${detail(this.serverMessage)}. The message may have been sent; check the conversation before resending.`
  }
}

/**
 * The connection failed. `sendOutcome` is `"not-sent"` only when no byte of the request left
 * (connection refused, host not found); otherwise `"unknown"`.
 *
 * @since 0.1.0
 */
export class NetworkError extends TaggedError("NetworkError")<{
  /** What failed on the connection (refused, reset, host not found, …). */
  readonly reason: string
  /** `"not-sent"` when OneRoute certainly did not send the message, `"unknown"` when it may have. */
  readonly sendOutcome: SendOutcome
}> {
  /** What failed on the connection and whether the message may have left. */
  override get message(): string {
    const outcome =
      this.sendOutcome === "not-sent"
        ? "The message was not sent."
        : "The message may have been sent; check the conversation before resending."
    return `Could not reach OneRoute (${this.reason}). ${outcome}`
  }
}

/**
 * No answer arrived within the timeout. The message may have been sent. `timeout` is the limit
 * that ran out: a `Duration` for Effect code, `timeoutMs` the same in milliseconds for everyone
 * else (and what `JSON.stringify` shows).
 *
 * @since 0.1.0
 */
export class RequestTimeoutError extends TaggedError("RequestTimeoutError")<{
  readonly timeout: Duration.Duration
  /** Always `"unknown"`: the message may have been sent; check before resending. */
  readonly sendOutcome: SendOutcome
}> {
  constructor(fields: { readonly timeout: Duration.Duration }) {
    super({ timeout: fields.timeout, sendOutcome: "unknown" })
  }

  /** `timeout` in milliseconds. */
  get timeoutMs(): number {
    return DurationRuntime.toMillis(this.timeout)
  }

  /** The time waited (`within 300 ms`) and that the message may have been sent. */
  override get message(): string {
    return `OneRoute did not answer within ${formatMillis(this.timeoutMs)}. The message may have been sent; check the conversation before resending, or raise the timeout option.`
  }

  /** Plain JSON: `timeoutMs` (a number) in place of the `Duration`. */
  override toJSON(): unknown {
    const { timeout: _duration, ...fields } = { ...this } as Record<string, unknown>
    return { ...fields, timeoutMs: this.timeoutMs }
  }
}

/**
 * A 1xx/2xx/3xx answer that is not a success envelope of the documented shape (HTML from a
 * gateway, empty, truncated, not JSON, JSON of another shape, nested too deep), or an answer the
 * SDK could not read. `bodyExcerpt` is its start. From a server it is always `"unknown"`: such an
 * answer does not prove the POST was not carried out (a 303 is what follows a processed POST).
 *
 * @since 0.1.0
 */
export class UnexpectedResponseError extends TaggedError("UnexpectedResponseError")<{
  /** The HTTP status of OneRoute's answer. */
  readonly status: number
  readonly bodyExcerpt: string
  /** `"not-sent"` when OneRoute certainly did not send the message, `"unknown"` when it may have. */
  readonly sendOutcome: SendOutcome
}> {
  /** What was wrong with the answer and that the message may have been sent. */
  override get message(): string {
    const outcome =
      this.sendOutcome === "unknown"
        ? "The message may have been sent; check the conversation before resending."
        : "The message was not sent."
    return `OneRoute answered HTTP ${this.status} with a body the SDK does not understand (${JSON.stringify(this.bodyExcerpt)}). ${outcome}`
  }
}

/**
 * A send on a Promise client after its `close()`. Nothing was sent; create a new client to send
 * again. (The Effect API has no such state: a layer's scope ends with the program.)
 *
 * @since 0.1.0
 */
export class ClientClosedError extends TaggedError("ClientClosedError")<{
  /** Always `"not-sent"`: OneRoute certainly did not send the message. */
  readonly sendOutcome: SendOutcome
}> {
  constructor() {
    super({ sendOutcome: "not-sent" })
  }

  /** Says the client was closed and nothing was sent. */
  override get message(): string {
    return "This OneRoute client was closed, so nothing was sent. Create a new client with createClient() to send again."
  }
}

/**
 * Any failure of a send.
 *
 * @since 0.1.0
 */
export type OneRouteError =
  | InvalidInputError
  | InvalidApiKeyError
  | RateLimitedError
  | RejectedError
  | ServerError
  | NetworkError
  | RequestTimeoutError
  | UnexpectedResponseError
  | ClientClosedError

/**
 * The `_tag` of every {@link OneRouteError} class.
 *
 * @since 0.3.0
 */
export const ONE_ROUTE_ERROR_TAGS: ReadonlyArray<OneRouteError["_tag"]> = [
  "InvalidInputError",
  "InvalidApiKeyError",
  "RateLimitedError",
  "RejectedError",
  "ServerError",
  "NetworkError",
  "RequestTimeoutError",
  "UnexpectedResponseError",
  "ClientClosedError"
]

const errorTags: ReadonlySet<unknown> = new Set(ONE_ROUTE_ERROR_TAGS)

/**
 * Whether a value is one of the SDK's send errors (works across duplicated installs, unlike `instanceof`).
 *
 * @since 0.1.0
 */
export const isOneRouteError = (u: unknown): u is OneRouteError =>
  u instanceof Error && "_tag" in u && errorTags.has(u._tag) && "sendOutcome" in u

/**
 * The options given to `createClient` / `layer` / `relayHandler` are unusable (no API key, a base
 * URL that is not https, a bad timeout). Raised when the client is built, never by a send.
 *
 * @since 0.1.0
 */
export class InvalidOptionsError extends TaggedError("InvalidOptionsError")<{
  readonly option: string
  readonly problem: string
}> {
  /** Which option is wrong, why, and what to do instead. */
  override get message(): string {
    return `Invalid OneRoute option "${this.option}": ${this.problem}`
  }
}
