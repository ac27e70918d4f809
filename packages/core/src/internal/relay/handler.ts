import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { InvalidInputError, InvalidOptionsError, isOneRouteError, OneRouteError, RejectedError } from "../../Errors.js"
import { OneRoute } from "../../OneRoute.js"
import type { RelayHandler, RelayHandlerOptions } from "../../Relay.js"
import { SessionMessage, validateSessionMessageRequest, WhatsAppNumber } from "../../Schemas.js"
import { IDEMPOTENCY_HEADER } from "../client.js"
import { makeIdempotencyStore, type StoredAnswer } from "./idempotency.js"

const encodeMessage = Schema.encodeSync(SessionMessage)
const encodeError = Schema.encodeSync(OneRouteError)
const decodeNumber = Schema.decodeUnknownOption(WhatsAppNumber)

/** The HTTP status a relay answers each error with; the browser reads the class from `error`. */
const statusOf = (error: OneRouteError): number => {
  switch (error._tag) {
    case "InvalidInputError":
      return 400
    case "RateLimitedError":
      return 429
    case "RejectedError":
      return error.status >= 400 && error.status < 500 ? error.status : 422
    case "RequestTimeoutError":
      return 504
    default:
      // The relay's own key or OneRoute failed: a gateway problem, not the browser's.
      return 502
  }
}

const answerJson = (status: number, body: unknown, headers: Record<string, string> = {}, repeatable = false) => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
  repeatable
})

const failure = (error: OneRouteError): StoredAnswer =>
  answerJson(
    statusOf(error),
    {
      data: null,
      message: "serverMessage" in error && error.serverMessage !== undefined ? error.serverMessage : error.message,
      success: false,
      error: encodeError(error)
    },
    error._tag === "RateLimitedError" && error.retryAfter !== undefined
      ? { "retry-after": String(Math.ceil(Duration.toSeconds(error.retryAfter))) }
      : {},
    error.sendOutcome === "not-sent"
  )

const refuse = (status: number, serverMessage: string) => failure(new RejectedError({ status, serverMessage }))

/** Reads at most `limit` bytes; `undefined` when the body is larger. */
const readLimited = async (request: Request, limit: number): Promise<string | undefined> => {
  const declared = Number(request.headers.get("content-length") ?? "0")
  if (declared > limit) return undefined
  const reader = request.body?.getReader()
  if (reader === undefined) return ""
  const chunks: Array<Uint8Array> = []
  let size = 0
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength
    if (size > limit) {
      await reader.cancel()
      return undefined
    }
    chunks.push(next.value)
  }
  return new TextDecoder().decode(concatBytes(chunks, size))
}

const concatBytes = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Checks the handler's own options once, when it is made. */
export const checkRelayOptions = (options: RelayHandlerOptions): ReadonlySet<string> => {
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

export const makeRelayHandler = <E>(options: RelayHandlerOptions, layer: Layer.Layer<OneRoute, E>): RelayHandler => {
  const allowedFrom = checkRelayOptions(options)
  const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024
  const store = makeIdempotencyStore(Duration.toMillis(options.idempotencyTtl ?? Duration.minutes(10)), 10_000)
  const runtime = ManagedRuntime.make(layer)

  const originAllowed = (request: Request): boolean => {
    const origin = request.headers.get("origin")
    // No Origin: not a browser page (a server, curl); put the relay behind your own auth.
    if (origin === null) return true
    return options.allowedOrigins === undefined
      ? origin === new URL(request.url).origin
      : options.allowedOrigins.includes(origin)
  }

  const corsHeaders = (request: Request): Record<string, string> => {
    const origin = request.headers.get("origin")
    return origin === null || !originAllowed(request)
      ? { vary: "origin" }
      : { "access-control-allow-origin": origin, vary: "origin" }
  }

  /** Validates, checks the allow-list, and forwards: the part a repeated key must not run twice. */
  const forward = async (input: unknown): Promise<StoredAnswer> => {
    const validated = await Effect.runPromiseExit(validateSessionMessageRequest(input))
    if (Exit.isFailure(validated)) return failure(Option.getOrThrow(Cause.failureOption(validated.cause)))
    if (!allowedFrom.has(validated.value.from)) {
      return refuse(403, `This relay does not send from ${validated.value.from}`)
    }
    const sent = await runtime.runPromiseExit(OneRoute.sendSessionMessage(validated.value))
    if (Exit.isSuccess(sent)) {
      return answerJson(200, { data: encodeMessage(sent.value), message: "Message sent to customer", success: true })
    }
    const error = Cause.failureOption(sent.cause)
    // Anything else (the layer itself failed, say a missing key in the environment) is the
    // server's fault: let the host answer 500 and log it.
    if (Option.isSome(error) && isOneRouteError(error.value)) return failure(error.value)
    throw Cause.squash(sent.cause)
  }

  const answer = async (request: Request): Promise<StoredAnswer> => {
    if (request.method !== "POST") return refuse(405, "The relay accepts POST only")
    if (!originAllowed(request)) return refuse(403, "This origin may not use the relay")
    if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) {
      return refuse(415, "Content-Type must be application/json")
    }
    const text = await readLimited(request, maxBodyBytes)
    if (text === undefined) return refuse(413, `The body must not exceed ${maxBodyBytes} bytes`)
    const input = parseJson(text)
    if (typeof input !== "object" || input === null) {
      return failure(new InvalidInputError({ issues: [{ path: [], message: "The body must be a JSON object" }] }))
    }
    const key = request.headers.get(IDEMPOTENCY_HEADER)
    if (key === null) return forward(input)
    const claim = store.claim(key, text)
    if (claim._tag === "Conflict") return refuse(422, `${IDEMPOTENCY_HEADER} was already used for a different message`)
    return claim._tag === "Repeat" ? claim.answer : claim.settle(forward(input))
  }

  const handler = async (request: Request): Promise<Response> => {
    if (request.method === "OPTIONS") {
      if (!originAllowed(request)) return new Response(null, { status: 403 })
      return new Response(null, {
        status: 204,
        headers: {
          ...corsHeaders(request),
          "access-control-allow-methods": "POST",
          "access-control-allow-headers": `content-type, ${IDEMPOTENCY_HEADER}`,
          "access-control-max-age": "600"
        }
      })
    }
    const stored = await answer(request)
    return new Response(stored.body, { status: stored.status, headers: { ...stored.headers, ...corsHeaders(request) } })
  }
  return Object.assign(handler, { close: () => runtime.dispose() })
}
