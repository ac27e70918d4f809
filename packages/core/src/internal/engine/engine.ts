/**
 * The send engine: one plain async function per send that both APIs run (the Promise client
 * directly, the `OneRoute` service inside one `Effect.async`). It holds the only copy of the
 * request building, per-attempt timeout, retry loop, status table call and outcome rules.
 * Plain promises rather than a fiber per step: that was most of the SDK's cost per send.
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import type { Any, Endpoint } from "../../Endpoint.js"
import { isOneRouteError, type OneRouteError, RequestTimeoutError } from "../../Errors.js"
import type { RequestHeaders } from "../../Options.js"
import { MAX_TIMER_MS, type ResolvedOptions } from "../options.js"
import { interpretAnswer, makeScrubber, withStackFormatted } from "../responses.js"
import { callerHeaders } from "./headers.js"
import { toNetworkError } from "./network.js"
import { type RetryPolicy, retryDelay } from "./retry.js"
import type { Body, Transport } from "./transport.js"

/** Sent in relay mode only; OneRoute itself does not document idempotency. */
export const IDEMPOTENCY_HEADER = "idempotency-key"

/**
 * What cancels a send: an `AbortSignal` (the Promise API's), or anything with the same four
 * members (the Effect API's interruption, which needs no `AbortController` per send).
 */
export interface Cancellation {
  readonly aborted: boolean
  readonly reason?: unknown
  addEventListener(type: "abort", listener: () => void, options?: { readonly once?: boolean }): void
  removeEventListener(type: "abort", listener: () => void): void
}

/** How one send runs, beyond the client's options. */
export interface SendCall {
  /** Aborting rejects the send with `signal.reason` and cancels its request. */
  readonly signal?: Cancellation | undefined
  /** This send's headers, set after the client's (relay mode). */
  readonly headers?: RequestHeaders | undefined
  /** This send's per-attempt timeout in milliseconds, instead of the client's. */
  readonly timeoutMs?: number | undefined
  /** Receives span attributes as they become known (the Effect API's span); absent: none are made. */
  readonly report?: ((attributes: Readonly<Record<string, unknown>>) => void) | undefined
  /** Told before each retry's wait (the Effect API logs it). */
  readonly onRetry?: ((error: OneRouteError, delayMs: number) => void) | undefined
}

/** The engine of one client: `send` validates, posts, retries and interprets. */
export interface Engine {
  /** Resolves with the endpoint's answer; rejects with a `OneRouteError`, `signal.reason`, or a caller's own error. */
  readonly send: <Input, Answer>(
    // biome-ignore lint/suspicious/noExplicitAny: any request type; the endpoint checks it.
    endpoint: Endpoint<string, Input, any, Answer>,
    input: Input,
    call?: SendCall
  ) => Promise<Answer>
  /** The URL an endpoint posts to. */
  readonly urlOf: (endpoint: Any) => string
}

const sleep = (ms: number, signal: Cancellation | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort)
        resolve()
      },
      Math.min(ms, MAX_TIMER_MS)
    )
    signal?.addEventListener("abort", onAbort, { once: true })
  })

const FAILED_BODY: Body = { text: "", complete: false }

export const makeEngine = (options: ResolvedOptions, transport: Transport): Engine => {
  const apiKey = options.apiKey === undefined ? undefined : Redacted.value(options.apiKey)
  const relayed = apiKey === undefined
  // A gateway that echoes request headers must not put the key into what an error shows.
  const scrubber = makeScrubber(apiKey)
  const baseHeaders: Readonly<Record<string, string>> = {
    accept: "application/json",
    "content-type": "application/json",
    ...(apiKey === undefined ? {} : { apikey: apiKey }),
    ...(options.userAgent === undefined ? {} : { "user-agent": options.userAgent })
  }
  const clientTimeoutMs = Duration.toMillis(options.timeout)
  const policy: RetryPolicy = {
    times: options.retry.times,
    baseDelayMs: Duration.toMillis(options.retry.baseDelay),
    maxDelayMs: Duration.toMillis(options.retry.maxDelay),
    retryUnknownOutcome: options.retry.retryUnknownOutcome
  }
  const urls = new Map<string, string>()
  const urlOf = (endpoint: Any): string => {
    let url = urls.get(endpoint.path)
    if (url === undefined) {
      url = new URL(endpoint.path, options.baseUrl).toString()
      urls.set(endpoint.path, url)
    }
    return url
  }

  /** One attempt: a timer and an `AbortController` of its own, so a timeout cancels the request. */
  const attempt = async <Answer>(
    url: string,
    headers: Readonly<Record<string, string>>,
    body: string,
    decodeSuccess: (json: unknown) => Answer | undefined,
    call: SendCall
  ): Promise<Answer> => {
    // Options are checked against the timer limit already; this holds for every caller.
    const timeoutMs = Math.min(call.timeoutMs ?? clientTimeoutMs, MAX_TIMER_MS)
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const signal = call.signal
    const onAbort = () => controller.abort(signal?.reason)
    signal?.addEventListener("abort", onAbort, { once: true })
    /** Why the attempt ended without an answer: the caller's abort, the timeout, or the network. */
    const failure = (cause: unknown): unknown => {
      if (signal?.aborted) return signal.reason
      if (timedOut) return withStackFormatted(new RequestTimeoutError({ timeout: Duration.millis(timeoutMs) }))
      return withStackFormatted(toNetworkError(cause))
    }
    try {
      const allHeaders =
        options.headers === undefined && call.headers === undefined
          ? headers
          : await callerHeaders(headers, options.headers, call.headers, controller.signal, failure)
      const answer = await transport({ url, headers: allHeaders, body, signal: controller.signal }).catch(
        (cause: unknown) => Promise.reject(failure(cause))
      )
      call.report?.({ "http.response.status_code": answer.status })
      // The status picks the class, so a 4xx/5xx whose body breaks off is still classified by
      // it; below 400 the body decides, and a broken one is a network failure.
      const read = await answer
        .read(options.maxResponseBytes)
        .catch((cause: unknown) =>
          answer.status >= 400 && !signal?.aborted && !timedOut ? FAILED_BODY : Promise.reject(failure(cause))
        )
      const interpreted = interpretAnswer(
        {
          status: answer.status,
          retryAfter: answer.header("retry-after"),
          body: read.text,
          complete: read.complete,
          now: Date.now(),
          relayed,
          scrubber
        },
        decodeSuccess
      )
      if (Either.isLeft(interpreted)) throw interpreted.left
      return interpreted.right
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener("abort", onAbort)
    }
  }

  const send: Engine["send"] = async (endpoint, input, call = {}) => {
    if (call.signal?.aborted) throw call.signal.reason
    let attempts = 0
    try {
      const validated = await endpoint.validate(input)
      if (Either.isLeft(validated)) throw validated.left
      const request: unknown = validated.right
      call.report?.(endpoint.requestAttributes(request))
      // One key per send, the same on every retry: the relay answers a repeat (a retry, or a
      // browser silently resending after a reset) without sending twice.
      const headers = relayed ? { ...baseHeaders, [IDEMPOTENCY_HEADER]: crypto.randomUUID() } : baseHeaders
      const body = JSON.stringify(request)
      const url = urlOf(endpoint)
      const decodeSuccess = (json: unknown) => endpoint.decodeSuccess(json, request)
      for (let retry = 0; ; retry++) {
        attempts++
        try {
          const answer = await attempt(url, headers, body, decodeSuccess, call)
          call.report?.({ ...endpoint.answerAttributes(answer), "oneroute.attempts": attempts })
          return answer
        } catch (error) {
          const delay = isOneRouteError(error) ? retryDelay(error, retry, policy) : undefined
          if (delay === undefined) throw error
          call.onRetry?.(error as OneRouteError, delay)
          await sleep(delay, call.signal)
        }
      }
    } catch (error) {
      if (call.report !== undefined && isOneRouteError(error)) {
        call.report({
          "oneroute.error": error._tag,
          "oneroute.send_outcome": error.sendOutcome,
          "oneroute.attempts": attempts
        })
      }
      throw error
    }
  }

  return { send, urlOf }
}
