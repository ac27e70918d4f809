import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Redacted from "effect/Redacted"
import type * as Tracer from "effect/Tracer"
import { type OneRouteError, RequestTimeoutError } from "../Errors.js"
import { type SessionMessage, type SessionMessageRequest, validateSessionMessageRequest } from "../Schemas.js"
import type { ResolvedOptions } from "./options.js"
import { interpretAnswer } from "./responses.js"
import { withRetry } from "./retry.js"
import { toNetworkError } from "./transport.js"

/** The service's shape; `OneRoute.ts` gives it its public name. */
export interface Service {
  readonly sendSessionMessage: (input: SessionMessageRequest.Encoded) => Effect.Effect<SessionMessage, OneRouteError>
}

const logRetry = (error: OneRouteError, delay: Duration.Duration) =>
  Effect.logDebug("OneRoute send failed, retrying").pipe(
    Effect.annotateLogs({ error: error._tag, delayMillis: Duration.toMillis(delay) })
  )

/**
 * The status picks the error class, so a 4xx/5xx whose body breaks off is still classified by
 * its status; below 400 the body decides, and a broken one is a network failure.
 */
const readBody = (response: HttpClientResponse.HttpClientResponse) =>
  response.status >= 400 ? Effect.orElseSucceed(response.text, () => "") : response.text

/** Sent in relay mode only; OneRoute itself does not document idempotency. */
export const IDEMPOTENCY_HEADER = "idempotency-key"

/** Header names the platform's logs and spans must redact; OneRoute's is not in its default list. */
const REDACTED_HEADER = "apikey"

export const make = (options: ResolvedOptions) =>
  Effect.gen(function* () {
    // One span per send (ours, with the HTTP status); no trace headers leave for a third-party API
    // (in browsers they would also force CORS preflights OneRoute does not allow).
    const httpClient = (yield* HttpClient.HttpClient).pipe(
      HttpClient.withTracerPropagation(false),
      HttpClient.withTracerDisabledWhen(() => true)
    )
    const redactedHeaderNames = [...(yield* FiberRef.get(Headers.currentRedactedNames)), REDACTED_HEADER]
    const apiKey = options.apiKey === undefined ? undefined : Redacted.value(options.apiKey)
    // A gateway that echoes request headers must not put the key into an error's excerpt.
    const scrubKey = (text: string) =>
      apiKey !== undefined && text.includes(apiKey) ? text.replaceAll(apiKey, "[redacted]") : text
    const baseRequest = HttpClientRequest.post(options.endpoint).pipe(
      HttpClientRequest.setHeaders({
        accept: "application/json",
        ...(apiKey === undefined ? {} : { apiKey }),
        ...(options.userAgent === undefined ? {} : { "user-agent": options.userAgent })
      })
    )

    const relayed = options.apiKey === undefined
    const attempt = (request: HttpClientRequest.HttpClientRequest, span: Tracer.Span) =>
      httpClient.execute(request).pipe(
        Effect.flatMap((response) => Effect.map(readBody(response), (body) => ({ response, body }))),
        Effect.mapError(toNetworkError),
        Effect.flatMap(({ response, body }) => {
          span.attribute("http.response.status_code", response.status)
          const answer = (now: number) =>
            interpretAnswer({
              status: response.status,
              retryAfter: response.headers["retry-after"],
              body: scrubKey(body),
              now,
              relayed
            })
          // Only a 429's Retry-After (an HTTP date) needs the clock.
          return response.status === 429 ? Effect.flatMap(Clock.currentTimeMillis, answer) : answer(0)
        }),
        Effect.timeoutFail({
          duration: options.timeout,
          onTimeout: () => new RequestTimeoutError({ timeout: options.timeout })
        })
      )

    const sendSessionMessage = (input: SessionMessageRequest.Encoded) =>
      Effect.useSpan(
        "OneRoute.sendSessionMessage",
        { kind: "client", captureStackTrace: false, attributes: { "url.full": options.endpoint } },
        (span) => {
          let attempts = 0
          return validateSessionMessageRequest(input).pipe(
            Effect.flatMap((request) => {
              span.attribute("oneroute.message.length", request.message.length)
              const httpRequest = HttpClientRequest.bodyUnsafeJson(
                // One key per send, the same on every retry: the relay answers a repeat (a retry,
                // or a browser silently resending after a reset) without sending twice.
                relayed
                  ? HttpClientRequest.setHeader(baseRequest, IDEMPOTENCY_HEADER, crypto.randomUUID())
                  : baseRequest,
                request
              )
              const once = Effect.suspend(() => {
                attempts++
                return attempt(httpRequest, span)
              })
              return withRetry(once, options.retry, logRetry)
            }),
            Effect.tap((message) => {
              span.attribute("oneroute.message.id", message.id)
              span.attribute("oneroute.attempts", attempts)
            }),
            Effect.tapError((error) =>
              Effect.sync(() => {
                span.attribute("oneroute.error", error._tag)
                span.attribute("oneroute.send_outcome", error.sendOutcome)
                span.attribute("oneroute.attempts", attempts)
              })
            ),
            Effect.withParentSpan(span),
            Effect.locally(Headers.currentRedactedNames, redactedHeaderNames)
          )
        }
      )

    return { sendSessionMessage } satisfies Service
  })
