import * as Duration from "effect/Duration"
import type { OneRouteError } from "../../Errors.js"

/** The retry policy in milliseconds, as the engine runs it. */
export interface RetryPolicy {
  readonly times: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly retryUnknownOutcome: boolean
}

/**
 * Retries only what is safe by default: failures that certainly did not send the message and
 * can succeed later (429, a connection that never opened). `@effect/platform`'s
 * `retryTransient` also retries timeouts and 5xx, which can deliver a message twice.
 */
const isRetryable = (error: OneRouteError, policy: RetryPolicy): boolean => {
  switch (error._tag) {
    case "RateLimitedError":
      return true
    case "NetworkError":
      return error.sendOutcome === "not-sent" || policy.retryUnknownOutcome
    case "ServerError":
    case "RequestTimeoutError":
      return policy.retryUnknownOutcome
    default:
      return false
  }
}

/**
 * How long to wait before retry number `retry` (0 for the first) after `error`, or `undefined`
 * for no retry: exponential backoff with ±20 % jitter, or the server's `Retry-After` when it
 * gave one. A `Retry-After` longer than `maxDelayMs` is not waited for.
 */
export const retryDelay = (error: OneRouteError, retry: number, policy: RetryPolicy): number | undefined => {
  if (retry >= policy.times || !isRetryable(error, policy)) return undefined
  if (error._tag === "RateLimitedError" && error.retryAfter !== undefined) {
    const wait = Duration.toMillis(error.retryAfter)
    return wait > policy.maxDelayMs ? undefined : wait
  }
  const jitter = 0.8 + Math.random() * 0.4
  return Math.min(policy.baseDelayMs * 2 ** retry * jitter, policy.maxDelayMs)
}
