import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Endpoint from "../../Endpoint.js"
import {
  InvalidInputError,
  InvalidOptionsError,
  isOneRouteError,
  type OneRouteError,
  RequestTimeoutError
} from "../../Errors.js"
import { type IdempotencyStore, makeMemory, type StoredAnswer } from "../../IdempotencyStore.js"
import { OneRoute, type OneRouteService } from "../../OneRoute.js"
import type { RelayHandler, RelayHandlerOptions } from "../../Relay.js"
import { WhatsAppNumber } from "../../Schemas.js"
import * as Endpoints from "../endpoints.js"
import { IDEMPOTENCY_HEADER } from "../engine/engine.js"
import { failure, refuse, success } from "./answers.js"
import { fingerprint, parseJson, readLimited } from "./body.js"
import { makeOriginPolicy } from "./origin.js"

const decodeNumber = Schema.decodeUnknownOption(WhatsAppNumber)

/** Keys the browser client makes are UUIDs; anything printable up to 200 characters is accepted. */
const USABLE_KEY = /^[\x21-\x7e]{1,200}$/

/** Checks the handler's own options once, when it is made. */
export const checkRelayOptions = (options: RelayHandlerOptions): ReadonlySet<string> => {
  if (typeof options.authorize !== "function") {
    throw new InvalidOptionsError({
      option: "authorize",
      problem:
        "is required: a function (request) => boolean | Promise<boolean> that checks your session or token; " +
        "pass () => true only if the relay is already behind your own authentication"
    })
  }
  if (options.allowedFrom.length === 0) {
    throw new InvalidOptionsError({ option: "allowedFrom", problem: "must list at least one business number" })
  }
  return new Set(
    options.allowedFrom.map((number) =>
      Option.getOrThrowWith(
        decodeNumber(number),
        () =>
          new InvalidOptionsError({
            option: "allowedFrom",
            problem: `${JSON.stringify(number)} is not a WhatsApp number`
          })
      )
    )
  )
}

/** The endpoints a relay forwards, each under its own path below the URL the relay is mounted at. */
const ENDPOINTS: ReadonlyArray<Endpoint.Any> = Endpoints.all

/** The endpoint a request's path ends with (`…/api/public/conversation/text`), if any. */
const endpointOf = (request: Request): Endpoint.Any | undefined => {
  let pathname: string
  try {
    pathname = new URL(request.url).pathname
  } catch {
    return undefined
  }
  return ENDPOINTS.find((endpoint) => pathname.endsWith(`/${endpoint.path}`))
}

const storeUnavailable = () =>
  refuse(503, "relay-store-unavailable", "The relay cannot reach its idempotency store, so it sent nothing")

export const makeRelayHandler = <E>(options: RelayHandlerOptions, layer: Layer.Layer<OneRoute, E>): RelayHandler => {
  const allowedFrom = checkRelayOptions(options)
  const originAllowed = makeOriginPolicy(options)
  const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024
  const repeatWait = Duration.toMillis(options.repeatWait ?? Duration.seconds(30))
  const store: IdempotencyStore = options.idempotencyStore ?? makeMemory()
  const runtime = ManagedRuntime.make(layer)

  const corsHeaders = (request: Request): Record<string, string> => {
    const origin = request.headers.get("origin")
    return origin === null || !originAllowed(request)
      ? { vary: "origin" }
      : { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", vary: "origin" }
  }

  /** Sends through OneRoute; throws only when the layer itself fails (the host answers 500). */
  const send = async (
    endpoint: Endpoint.Any,
    request: unknown
  ): Promise<{ answer: StoredAnswer; sentNothing: boolean }> => {
    const operation = Effect.flatMap(OneRoute, (service) =>
      (service[endpoint.name as keyof OneRouteService] as (input: unknown) => Effect.Effect<unknown, OneRouteError>)(
        request
      )
    )
    const sent = await runtime.runPromiseExit(operation)
    if (Exit.isSuccess(sent)) return { answer: success(endpoint.encodeSuccess(sent.value)), sentNothing: false }
    const error = Cause.failureOption(sent.cause)
    if (Option.isSome(error) && isOneRouteError(error.value)) {
      return { answer: failure(error.value), sentNothing: error.value.sendOutcome === "not-sent" }
    }
    throw Cause.squash(sent.cause)
  }

  /** The first send of a key, or the answer it got: a repeat never sends again. */
  const sendOnce = async (key: string, endpoint: Endpoint.Any, request: unknown): Promise<StoredAnswer> => {
    // The path is part of what a key names: the same body to another endpoint is another send.
    const digest = await fingerprint(`${endpoint.path}\n${JSON.stringify(request)}`)
    const waitUntil = Date.now() + repeatWait
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      const reservation = await Effect.runPromise(Effect.either(store.reserve(key, digest)))
      if (Either.isLeft(reservation)) return storeUnavailable()
      switch (reservation.right._tag) {
        case "Answered":
          return reservation.right.answer
        case "Conflict":
          return refuse(
            422,
            "relay-idempotency-conflict",
            `${IDEMPOTENCY_HEADER} was already used for a different message`
          )
        case "Full": {
          const seconds = Math.ceil(Duration.toSeconds(reservation.right.retryAfter))
          return refuse(
            503,
            "relay-store-full",
            `The relay is at its limit of remembered sends; retry in ${seconds} s`,
            {
              "retry-after": String(seconds)
            }
          )
        }
        case "InFlight":
          if (Date.now() >= waitUntil) {
            // The first send is still out (or its instance died mid-send): it may have gone.
            return failure(new RequestTimeoutError({ timeout: Duration.millis(repeatWait) }))
          }
          await new Promise((resolve) => setTimeout(resolve, delay))
          continue
        case "Reserved": {
          const { token } = reservation.right
          let outcome: Awaited<ReturnType<typeof send>>
          try {
            outcome = await send(endpoint, request)
          } catch (defect) {
            await Effect.runPromise(Effect.ignore(store.release(key, token)))
            throw defect
          }
          // A failed write leaves the reservation in place until its TTL: repeats wait, never resend.
          await Effect.runPromise(
            Effect.ignore(outcome.sentNothing ? store.release(key, token) : store.complete(key, token, outcome.answer))
          )
          return outcome.answer
        }
      }
    }
  }

  const answer = async (request: Request): Promise<StoredAnswer> => {
    if (request.method !== "POST")
      return refuse(405, "relay-method", "The relay accepts POST only", { allow: "POST, OPTIONS" })
    const endpoint = endpointOf(request)
    if (endpoint === undefined) {
      return refuse(
        404,
        "relay-path",
        `The relay answers only ${ENDPOINTS.map((known) => `…/${known.path}`).join(" and ")}`
      )
    }
    if (!originAllowed(request)) return refuse(403, "relay-origin", "This page's origin may not use the relay")
    if (!(await options.authorize(request)))
      return refuse(401, "relay-unauthorized", "The relay did not authorise this request")
    if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
      return refuse(415, "relay-content-type", "Content-Type must be application/json")
    }
    const text = await readLimited(request, maxBodyBytes)
    if (text === undefined) return refuse(413, "relay-body-too-large", `The body must not exceed ${maxBodyBytes} bytes`)
    const input = parseJson(text)
    if (typeof input !== "object" || input === null) {
      return failure(new InvalidInputError({ issues: [{ path: [], message: "The body must be a JSON object" }] }))
    }
    const validated = endpoint.validate(input)
    if (Either.isLeft(validated)) return failure(validated.left satisfies OneRouteError)
    const from = endpoint.from(validated.right)
    if (!allowedFrom.has(from)) {
      return refuse(403, "relay-from-not-allowed", `This relay does not send from ${from}`)
    }
    const key = request.headers.get(IDEMPOTENCY_HEADER)
    if (key === null) return (await send(endpoint, validated.right)).answer
    if (!USABLE_KEY.test(key)) {
      return failure(
        new InvalidInputError({
          issues: [{ path: [IDEMPOTENCY_HEADER], message: "must be 1 to 200 printable ASCII characters" }]
        })
      )
    }
    return sendOnce(key, endpoint, validated.right)
  }

  const handler = async (request: Request): Promise<Response> => {
    if (request.method === "OPTIONS") {
      if (!originAllowed(request)) return new Response(null, { status: 403 })
      return new Response(null, {
        status: 204,
        headers: {
          ...corsHeaders(request),
          "access-control-allow-methods": "POST",
          // An allowed page may send its own headers (a bearer or CSRF token, for `authorize`).
          "access-control-allow-headers":
            request.headers.get("access-control-request-headers") ?? `content-type, ${IDEMPOTENCY_HEADER}`,
          "access-control-max-age": "600"
        }
      })
    }
    const stored = await answer(request)
    return new Response(stored.body, { status: stored.status, headers: { ...stored.headers, ...corsHeaders(request) } })
  }
  return Object.assign(handler, { close: () => runtime.dispose() })
}
