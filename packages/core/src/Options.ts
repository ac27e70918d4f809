/**
 * The options of a client, a layer and a relay's sends: plain types, no Effect runtime.
 *
 * @since 0.3.0
 */
import type * as Duration from "effect/Duration"
import type * as Redacted from "effect/Redacted"
import * as options from "./internal/options.js"

/**
 * How each send behaves, whichever way it reaches OneRoute.
 *
 * @since 0.1.0
 */
export interface SendPolicy {
  /** How long one attempt may take, body included. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput
  /** Retry policy, or `false` for none. Default: up to 2 retries of failures that certainly sent nothing. */
  readonly retry?: RetryOptions | false
  /** Sent as `User-Agent`. Default: the adapter's name (none in browsers, which send their own). */
  readonly userAgent?: string
  /**
   * The most bytes of an answer's body the SDK reads; a positive whole number. Default
   * {@link DEFAULT_MAX_RESPONSE_BYTES} (1 MiB; the documented answer is under 1 KiB). Past it the
   * SDK stops reading (the connection is cancelled) and the status decides as usual: a 2xx is an
   * `UnexpectedResponseError` with `sendOutcome: "unknown"` (the message may have been sent), a
   * 4xx/5xx keeps its class without the server's `message`. Errors keep short excerpts only.
   */
  readonly maxResponseBytes?: number
}

/**
 * The default of {@link SendPolicy.maxResponseBytes}: 1 MiB.
 *
 * @since 0.1.0
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = options.DEFAULT_MAX_RESPONSE_BYTES

/**
 * Extra request headers: a record, or a function returning one (or a Promise of one) that is
 * called before every request, retries included, so it can hand out a fresh bearer or CSRF
 * token each time. It runs within the send's `timeout`; if it throws or rejects, the send fails
 * with that very error (a defect for Effect callers) and nothing is sent.
 *
 * These headers never replace the ones the SDK owns: `content-type`, `idempotency-key` and
 * `apikey` (in any letter case) are ignored.
 *
 * @since 0.1.0
 */
export type RequestHeaders =
  | Readonly<Record<string, string>>
  | (() => Readonly<Record<string, string>> | PromiseLike<Readonly<Record<string, string>>>)

/**
 * Direct mode: call OneRoute with the API key.
 *
 * @since 0.1.0
 */
export interface OneRouteOptions extends SendPolicy {
  /** The API key from the OneRoute dashboard. Kept `Redacted`; a plain string is wrapped. */
  readonly apiKey: Redacted.Redacted<string> | string
  /** Default `https://api.oneroute.io`. Must be https, except for loopback hosts (tests, emulator). */
  readonly baseUrl?: string | URL
}

/**
 * Relay mode: post to your own backend, which holds the key and forwards to
 * OneRoute, answering with OneRoute's envelope. No `apiKey` header is sent.
 *
 * @since 0.1.0
 */
export interface RelayOptions extends SendPolicy {
  /** The relay endpoint, posted to as is. https, or plain http on a loopback host. */
  readonly relayUrl: string | URL
  /**
   * Headers for your relay with every send, for example `{ authorization: "Bearer " + token }`
   * or a function returning a CSRF token (see {@link RequestHeaders}). They cannot replace
   * `content-type`, `idempotency-key` or `apikey`. Default: none.
   */
  readonly headers?: RequestHeaders
}

/**
 * Which failures are retried, and how long to wait.
 *
 * @since 0.1.0
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2. */
  readonly times?: number
  /** First backoff delay, doubled each retry, ±20 % jitter. Default 250 ms. */
  readonly baseDelay?: Duration.DurationInput
  /** Longest wait, backoff or `Retry-After`; a longer `Retry-After` fails at once. Default 30 s. */
  readonly maxDelay?: Duration.DurationInput
  /**
   * Also retry failures that may have sent the message (5xx, timeouts, resets). This can
   * deliver a message twice; opt in only if duplicates are acceptable. Default `false`.
   */
  readonly retryUnknownOutcome?: boolean
}
