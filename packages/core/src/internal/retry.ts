import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import type { OneRouteError } from "../Errors.js"
import type { ResolvedRetry } from "./options.js"

/**
 * Retries only what is safe by default: failures that certainly did not send the message and
 * can succeed later (429, a connection that never opened). `@effect/platform`'s
 * `retryTransient` also retries timeouts and 5xx, which can deliver a message twice.
 */
const isRetryable = (error: OneRouteError, policy: ResolvedRetry): boolean => {
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

/** Exponential backoff with ±20 % jitter, or the server's `Retry-After` when it gave one. */
const delayBefore = (error: OneRouteError, retry: number, policy: ResolvedRetry) =>
  error._tag === "RateLimitedError" && error.retryAfter !== undefined
    ? Effect.succeed(error.retryAfter)
    : Effect.map(Random.nextRange(0.8, 1.2), (jitter) =>
        Duration.min(Duration.times(policy.baseDelay, 2 ** retry * jitter), policy.maxDelay)
      )

/** Runs `attempt`, retrying per `policy`. A `Retry-After` longer than `maxDelay` is not waited for. */
export const withRetry = <A, R>(
  attempt: Effect.Effect<A, OneRouteError, R>,
  policy: ResolvedRetry,
  onRetry: (error: OneRouteError, delay: Duration.Duration) => Effect.Effect<void>
): Effect.Effect<A, OneRouteError, R> => {
  const run = (retry: number): Effect.Effect<A, OneRouteError, R> =>
    Effect.catchAll(attempt, (error) => {
      if (retry >= policy.times || !isRetryable(error, policy)) return Effect.fail(error)
      return Effect.flatMap(delayBefore(error, retry, policy), (delay) =>
        Duration.greaterThan(delay, policy.maxDelay)
          ? Effect.fail(error)
          : onRetry(error, delay).pipe(Effect.zipRight(Effect.sleep(delay)), Effect.zipRight(run(retry + 1)))
      )
    })
  return run(0)
}
