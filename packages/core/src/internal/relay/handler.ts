import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type * as Endpoint from "../../Endpoint.js"
import { all as allEndpoints } from "../../Endpoint.js"
import {
  InvalidInputError,
  InvalidOptionsError,
  isOneRouteError,
  type OneRouteError,
  RequestTimeoutError,
  UnexpectedResponseError
} from "../../Errors.js"
import type { StoredAnswer } from "../../IdempotencyStore.js"
import type { RelayEndpoints, RelayHandler, RelayHandlerOptions, RelayRoute } from "../../Relay.js"
import { type Engine, IDEMPOTENCY_HEADER } from "../engine/engine.js"
import { parseTimeout } from "../options.js"
import { validNumber } from "../sessionEndpoint.js"
import { failure, refuse, success } from "./answers.js"
import { fingerprint, parseJson, readLimited } from "./body.js"
import { makeOriginPolicy, makeOriginRefusal } from "./origin.js"
import { isNormalPath } from "./path.js"

/** Keys the browser client makes are UUIDs; anything printable up to 200 characters is accepted. */
const USABLE_KEY = /^[\x21-\x7e]{1,200}$/

const checkNumbers = (option: string, numbers: ReadonlyArray<string>): ReadonlySet<string> => {
  if (numbers.length === 0) {
    throw new InvalidOptionsError({ option, problem: "must list at least one business number" })
  }
  return new Set(
    numbers.map((number) => {
      const normalised = validNumber(number)
      if (normalised === undefined) {
        throw new InvalidOptionsError({ option, problem: `${JSON.stringify(number)} is not a WhatsApp number` })
      }
      return normalised
    })
  )
}

const checkBodyLimit = (option: string, bytes: number | undefined, fallback: number): number => {
  if (bytes === undefined) return fallback
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new InvalidOptionsError({ option, problem: "must be a positive whole number of bytes" })
  }
  return bytes
}

/** A forwarded endpoint with its checked limits. */
interface Route {
  readonly endpoint: Endpoint.Any
  readonly maxBodyBytes: number
  readonly allowedFrom: ReadonlySet<string>
}

/** Only session messages unless the options name more (see `RelayHandlerOptions.endpoints`). */
const DEFAULT_ENDPOINTS: RelayEndpoints = { sendSessionMessage: true }

/** Checks the handler's own options once, when it is made: the routes it forwards, by path. */
export const checkRelayOptions = (options: RelayHandlerOptions): ReadonlyMap<string, Route> => {
  if (typeof options.authorize !== "function") {
    throw new InvalidOptionsError({
      option: "authorize",
      problem:
        "is required: a function (request) => boolean | Promise<boolean> that checks your session or token; " +
        "pass () => true only if the relay is already behind your own authentication"
    })
  }
  const allowedFrom = checkNumbers("allowedFrom", options.allowedFrom)
  const named: Record<string, unknown> = { ...(options.endpoints ?? DEFAULT_ENDPOINTS) }
  const routes = new Map<string, Route>()
  for (const endpoint of allEndpoints as ReadonlyArray<Endpoint.Any>) {
    const route = named[endpoint.name]
    delete named[endpoint.name]
    if (route === undefined || route === false) continue
    if (route !== true && (typeof route !== "object" || route === null)) {
      throw new InvalidOptionsError({
        option: `endpoints.${endpoint.name}`,
        problem: "must be true, false or { maxBodyBytes?, allowedFrom? }"
      })
    }
    const limits: RelayRoute = route === true ? {} : route
    const fallback = checkBodyLimit("maxBodyBytes", options.maxBodyBytes, endpoint.maxRelayBodyBytes)
    routes.set(`/${endpoint.path}`, {
      endpoint,
      maxBodyBytes: checkBodyLimit(`endpoints.${endpoint.name}.maxBodyBytes`, limits.maxBodyBytes, fallback),
      allowedFrom:
        limits.allowedFrom === undefined
          ? allowedFrom
          : checkNumbers(`endpoints.${endpoint.name}.allowedFrom`, limits.allowedFrom)
    })
  }
  const unknown = Object.keys(named)[0]
  if (unknown !== undefined) {
    const known = (allEndpoints as ReadonlyArray<Endpoint.Any>).map((endpoint) => endpoint.name).join(", ")
    throw new InvalidOptionsError({
      option: `endpoints.${unknown.slice(0, 60)}`,
      problem: `is not an endpoint (known: ${known})`
    })
  }
  if (routes.size === 0)
    throw new InvalidOptionsError({ option: "endpoints", problem: "must forward at least one endpoint" })
  return routes
}

/** The route whose path a request's path ends with (`…/api/public/conversation/text`), if any. */
const routeOf = (routes: ReadonlyMap<string, Route>, request: Request): Route | undefined => {
  let pathname: string
  try {
    pathname = new URL(request.url).pathname
  } catch {
    return undefined
  }
  for (const [path, route] of routes) if (pathname.endsWith(path)) return route
  return undefined
}

/** What a send answers when it failed in a way that says nothing about whether the request left. */
const mayHaveSent = () =>
  new UnexpectedResponseError({
    status: 500,
    bodyExcerpt: "(the relay failed while sending: the message may have been sent)",
    sendOutcome: "unknown"
  })

const storeUnavailable = () =>
  refuse(503, "relay-store-unavailable", "The relay cannot reach its idempotency store, so it sent nothing")

/** What a relay sends through: an engine over the adapter's transport, and how to release it. */
export interface RelayEngine {
  readonly engine: Engine
  readonly close: () => Promise<void>
}

export const makeRelayHandler = (options: RelayHandlerOptions, { engine, close }: RelayEngine): RelayHandler => {
  const routes = checkRelayOptions(options)
  const originAllowed = makeOriginPolicy(options)
  const originRefused = makeOriginRefusal(options)
  const repeatWait = Duration.toMillis(
    options.repeatWait === undefined
      ? Duration.seconds(30)
      : Either.getOrThrowWith(
          parseTimeout(options.repeatWait as Duration.DurationInput, "repeatWait"),
          (error) => error
        )
  )
  // The store's Effect runner, with the default memory store, loads on the first keyed request.
  const stores = import("./storeRunner.js").then((runner) => ({
    runner,
    store: options.idempotencyStore ?? runner.memoryStore()
  }))
  stores.catch(() => {})

  const corsHeaders = (request: Request): Record<string, string> => {
    const origin = request.headers.get("origin")
    return origin === null || !originAllowed(request)
      ? { vary: "origin" }
      : { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", vary: "origin" }
  }

  /**
   * Sends through OneRoute. Never throws: whatever fails once the send began (the layer, an
   * encoder) is answered as an outcome-unknown failure, since the request may have left.
   */
  const send = async (
    endpoint: Endpoint.Any,
    request: unknown
  ): Promise<{ answer: StoredAnswer; sentNothing: boolean }> => {
    try {
      const answer = await engine.send(endpoint, request)
      return { answer: success(endpoint.encodeSuccess(answer)), sentNothing: false }
    } catch (error) {
      if (isOneRouteError(error)) return { answer: failure(error), sentNothing: error.sendOutcome === "not-sent" }
    }
    return { answer: failure(mayHaveSent()), sentNothing: false }
  }

  /** The first send of a key, or the answer it got: a repeat never sends again. */
  const sendOnce = async (key: string, endpoint: Endpoint.Any, request: unknown): Promise<StoredAnswer> => {
    // The path is part of what a key names: the same body to another endpoint is another send.
    const digest = await fingerprint(`${endpoint.path}\n${JSON.stringify(request)}`)
    const waitUntil = Date.now() + repeatWait
    const { runner, store } = await stores
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      const reservation = await runner.reserve(store, key, digest)
      if (reservation === undefined) return storeUnavailable()
      switch (reservation._tag) {
        case "Answered":
          return reservation.answer
        case "Conflict":
          return refuse(
            422,
            "relay-idempotency-conflict",
            `${IDEMPOTENCY_HEADER} was already used for a different message`
          )
        case "Full": {
          const seconds = Math.ceil(Duration.toSeconds(reservation.retryAfter))
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
          // Released only when the answer proves nothing was sent; else the key keeps its answer.
          const outcome = await send(endpoint, request)
          // A failed write leaves the reservation in place until its TTL: repeats wait, never resend.
          await runner.finish(store, key, reservation.token, outcome)
          return outcome.answer
        }
      }
    }
  }

  const answer = async (request: Request): Promise<StoredAnswer> => {
    if (request.method !== "POST")
      return refuse(405, "relay-method", "The relay accepts POST only", { allow: "POST, OPTIONS" })
    if (!isNormalPath(request.url)) {
      return refuse(400, "relay-path", "The path is not in normal form (no //, . or .. segments, encoded . / or \\)")
    }
    const route = routeOf(routes, request)
    if (route === undefined) {
      return refuse(
        404,
        "relay-path",
        `The relay answers only ${[...routes.keys()].map((path) => `…${path}`).join(" and ")}`
      )
    }
    const { endpoint } = route
    if (!originAllowed(request)) return refuse(403, "relay-origin", originRefused(request))
    if (!(await options.authorize(request)))
      return refuse(401, "relay-unauthorized", "The relay did not authorise this request")
    if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
      return refuse(415, "relay-content-type", "Content-Type must be application/json")
    }
    const text = await readLimited(request, route.maxBodyBytes)
    if (text === undefined) {
      return refuse(413, "relay-body-too-large", `The body must not exceed ${route.maxBodyBytes} bytes`)
    }
    const input = parseJson(text)
    if (typeof input !== "object" || input === null) {
      return failure(new InvalidInputError({ issues: [{ path: [], message: "The body must be a JSON object" }] }))
    }
    const validated = await endpoint.validate(input)
    if (Either.isLeft(validated)) return failure(validated.left satisfies OneRouteError)
    const from = endpoint.from(validated.right)
    if (!route.allowedFrom.has(from)) {
      return refuse(403, "relay-from-not-allowed", `This relay does not send ${endpoint.name} from ${from}`)
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
      if (!originAllowed(request)) return new Response(originRefused(request), { status: 403 })
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
  return Object.assign(handler, { close })
}
