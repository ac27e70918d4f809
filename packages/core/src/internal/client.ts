import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import { type OneRouteError, RequestTimeoutError } from "../Errors.js"
import type { RequestHeaders } from "../OneRoute.js"
import { type SessionMessage, type SessionMessageRequest, validateSessionMessageRequest } from "../Schemas.js"
import type { ResolvedOptions } from "./options.js"
import { interpretAnswer, makeScrubber, withStackFormatted } from "./responses.js"
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

/** What was read of a body: all of it, or (`complete: false`) its start. */
interface Body {
  readonly text: string
  readonly complete: boolean
}

/** How much of a body larger than the cap is kept: enough for an error's excerpt. */
const OVERSIZE_KEPT_BYTES = 4096
const utf8 = new TextDecoder()

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0]?.byteLength === size) return chunks[0]
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk.subarray(0, size - offset), offset)
    offset += Math.min(chunk.byteLength, size - offset)
    if (offset >= size) break
  }
  return bytes
}

/**
 * Reads at most `maxBytes` of the body. An answer that declares a `Content-Length` within the cap
 * and no `Content-Encoding` is read whole (the transport delivers no more than declared: the
 * fast path); any other is streamed with a byte count, and past the cap reading stops (ending
 * the stream cancels the transfer), keeping only the start, for an excerpt. (A transport that
 * decompresses must let `Content-Encoding` show; the browser adapter drops `Content-Length`
 * from cross-origin answers, which hide it.) The status picks the error class, so a 4xx/5xx
 * whose body breaks off is still classified by its status (with what arrived, unparsed); below
 * 400 the body decides, and a broken one is a network failure.
 */
const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Body, HttpClientError.ResponseError> => {
  const declared = Number(response.headers["content-length"] ?? Number.NaN)
  const encoded = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase() !== "identity"
  if (!encoded && Number.isSafeInteger(declared) && declared <= maxBytes) {
    const whole = Effect.map(response.text, (text): Body => ({ text, complete: true }))
    return response.status >= 400 ? Effect.orElseSucceed(whole, () => ({ text: "", complete: false })) : whole
  }
  return readCounted(response, maxBytes)
}

const readCounted = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Body, HttpClientError.ResponseError> => {
  const chunks: Array<Uint8Array> = []
  let size = 0
  let oversize = false
  const decode = (complete: boolean): Body => {
    const kept = complete ? size : Math.min(size, OVERSIZE_KEPT_BYTES)
    return { text: utf8.decode(concat(chunks, kept)), complete }
  }
  const read = Stream.runForEachWhile(response.stream, (chunk) =>
    Effect.sync(() => {
      size += chunk.byteLength
      if (size > maxBytes) {
        oversize = true
        // Keep what fits, so the excerpt shows the body's start.
        chunks.push(chunk.subarray(0, Math.max(0, chunk.byteLength - (size - maxBytes))))
        size = maxBytes
        return false
      }
      chunks.push(chunk)
      return true
    })
  ).pipe(
    // A body-less answer (204, or fetch's `null` body) has no stream to read.
    Effect.catchIf(
      (error) => error.reason === "EmptyBody",
      () => Effect.void
    ),
    Effect.map(() => decode(!oversize))
  )
  return response.status >= 400 ? Effect.catchAll(read, () => Effect.succeed(decode(false))) : read
}

/** Sent in relay mode only; OneRoute itself does not document idempotency. */
export const IDEMPOTENCY_HEADER = "idempotency-key"

/** Header names the platform's logs and spans must redact; OneRoute's is not in its default list. */
const REDACTED_HEADER = "apikey"

/** Headers the SDK owns: a caller's `headers` never replace them. */
const OWN_HEADERS: ReadonlySet<string> = new Set(["content-type", "idempotency-key", "apikey"])

/** Per-send headers of the Promise client (`sendSessionMessage(input, { headers })`). */
export const currentSendHeaders: FiberRef.FiberRef<RequestHeaders | undefined> = FiberRef.unsafeMake<
  RequestHeaders | undefined
>(undefined)

/** Per-send timeout of the Promise client (`sendSessionMessage(input, { timeout })`): replaces the client's. */
export const currentSendTimeout: FiberRef.FiberRef<Duration.Duration | undefined> = FiberRef.unsafeMake<
  Duration.Duration | undefined
>(undefined)

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * The caller's headers as request headers, without the ones the SDK owns. Something that is not
 * a record of valid header names and string values is the caller's bug: a `TypeError` defect,
 * raised before anything is sent (a transport would fail it as an ambiguous network error).
 */
const checkHeaders = (input: unknown): Effect.Effect<ReadonlyArray<readonly [string, string]>> => {
  if (input === undefined) return Effect.succeed([])
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return Effect.die(new TypeError("OneRoute headers must be a record of header names to string values"))
  }
  const entries: Array<readonly [string, string]> = []
  for (const [name, value] of Object.entries(input)) {
    if (typeof value !== "string" || !HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) {
      return Effect.die(new TypeError(`OneRoute headers: ${JSON.stringify(name.slice(0, 40))} is not a valid header`))
    }
    if (!OWN_HEADERS.has(name.toLowerCase())) entries.push([name, value])
  }
  return Effect.succeed(entries)
}

/** Evaluates `headers` (calling it when it is a function; its throw or rejection is a defect). */
const evaluateHeaders = (headers: RequestHeaders): Effect.Effect<ReadonlyArray<readonly [string, string]>> =>
  typeof headers === "function"
    ? Effect.tryPromise({ try: async () => (await headers()) as unknown, catch: (error) => error }).pipe(
        Effect.orDie,
        Effect.flatMap(checkHeaders)
      )
    : checkHeaders(headers)

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
    // A gateway that echoes request headers must not put the key into what an error shows.
    const scrubber = makeScrubber(apiKey)
    const baseRequest = HttpClientRequest.post(options.endpoint).pipe(
      HttpClientRequest.setHeaders({
        accept: "application/json",
        ...(apiKey === undefined ? {} : { apiKey }),
        ...(options.userAgent === undefined ? {} : { "user-agent": options.userAgent })
      })
    )

    const relayed = options.apiKey === undefined
    /** The client's and the send's own headers for one request, evaluated now (fresh tokens). */
    const withCallerHeaders = (
      request: HttpClientRequest.HttpClientRequest
    ): Effect.Effect<HttpClientRequest.HttpClientRequest> =>
      Effect.flatMap(FiberRef.get(currentSendHeaders), (perSend) => {
        if (options.headers === undefined && perSend === undefined) return Effect.succeed(request)
        return Effect.map(
          Effect.all([
            options.headers === undefined ? Effect.succeed([]) : evaluateHeaders(options.headers),
            perSend === undefined ? Effect.succeed([]) : evaluateHeaders(perSend)
          ]),
          // The send's own headers win over the client's.
          ([client, send]) =>
            [...client, ...send].reduce(
              (result, [name, value]) => HttpClientRequest.setHeader(result, name, value),
              request
            )
        )
      })

    const attempt = (request: HttpClientRequest.HttpClientRequest, span: Tracer.Span, timeout: Duration.Duration) =>
      withCallerHeaders(request).pipe(
        Effect.flatMap((request) => httpClient.execute(request)),
        Effect.flatMap((response) =>
          Effect.map(readBody(response, options.maxResponseBytes), (body) => ({ response, body }))
        ),
        Effect.mapError((error) => withStackFormatted(toNetworkError(error))),
        Effect.flatMap(({ response, body }) => {
          span.attribute("http.response.status_code", response.status)
          const answer = (now: number) =>
            interpretAnswer({
              status: response.status,
              retryAfter: response.headers["retry-after"],
              body: body.text,
              complete: body.complete,
              now,
              relayed,
              scrubber
            })
          // Only a 429's Retry-After (an HTTP date) needs the clock.
          return response.status === 429 ? Effect.flatMap(Clock.currentTimeMillis, answer) : answer(0)
        }),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () => withStackFormatted(new RequestTimeoutError({ timeout }))
        })
      )

    const sendSessionMessage = (input: SessionMessageRequest.Encoded) =>
      Effect.useSpan(
        "OneRoute.sendSessionMessage",
        { kind: "client", captureStackTrace: false, attributes: { "url.full": options.endpoint } },
        (span) => {
          let attempts = 0
          return validateSessionMessageRequest(input).pipe(
            Effect.zip(FiberRef.get(currentSendTimeout)),
            Effect.flatMap(([request, perSend]) => {
              const timeout = perSend ?? options.timeout
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
                return attempt(httpRequest, span, timeout)
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
