import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import {
  InvalidApiKeyError,
  OneRouteError,
  RateLimitedError,
  RejectedError,
  ServerError,
  UnexpectedResponseError
} from "../Errors.js"
import { type SessionMessage, SessionMessageEnvelope } from "../Schemas.js"

const EXCERPT_LENGTH = 200
const decodeEnvelope = Schema.decodeUnknownEither(SessionMessageEnvelope)
const decodeError = Schema.decodeUnknownEither(OneRouteError)

/** The error a relay forwarded, so it arrives as the very class the relay saw. */
const relayedError = (json: unknown): OneRouteError | undefined => {
  if (typeof json !== "object" || json === null || !("error" in json)) return undefined
  return Either.getOrUndefined(decodeError(json.error))
}

/** What arrived: status, the headers the SDK reads, and the body as text. */
export interface RawAnswer {
  readonly status: number
  readonly retryAfter: string | undefined
  readonly body: string
  readonly now: number
  /** From a relay (`relayUrl`), whose failure envelopes carry the original error in `error`. */
  readonly relayed: boolean
}

const parseJson = (body: string): unknown => {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

/** The server's own explanation, when the body is an object with a string `message`. */
const serverMessageOf = (json: unknown): string | undefined =>
  typeof json === "object" && json !== null && "message" in json && typeof json.message === "string"
    ? json.message.slice(0, 500)
    : undefined

/** `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export const parseRetryAfter = (header: string | undefined, now: number): Duration.Duration | undefined => {
  if (header === undefined) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Duration.seconds(Number(text))
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Duration.millis(Math.max(0, at - now))
}

/**
 * The one status → result table. The status picks the class; the body only adds detail.
 * 1xx–3xx answers succeed only with the documented success envelope.
 */
export const interpretAnswer = (answer: RawAnswer): Either.Either<SessionMessage, OneRouteError> => {
  const { status, body } = answer
  const json = parseJson(body)
  const serverMessage = serverMessageOf(json)
  const detail = serverMessage === undefined ? {} : { serverMessage }
  const forwarded = answer.relayed ? relayedError(json) : undefined
  if (forwarded !== undefined) return Either.left(forwarded)

  if (status === 401) return Either.left(new InvalidApiKeyError(detail))
  if (status === 429) {
    const retryAfter = parseRetryAfter(answer.retryAfter, answer.now)
    return Either.left(new RateLimitedError({ ...detail, ...(retryAfter === undefined ? {} : { retryAfter }) }))
  }
  if (status >= 400 && status < 500) return Either.left(new RejectedError({ status, ...detail }))
  if (status >= 500) return Either.left(new ServerError({ status, ...detail }))

  if (typeof json === "object" && json !== null && "success" in json && json.success === false) {
    return Either.left(new RejectedError({ status, ...detail }))
  }
  const isSuccessStatus = status >= 200 && status < 300
  const envelope = isSuccessStatus ? decodeEnvelope(json) : undefined
  if (envelope !== undefined && Either.isRight(envelope)) return Either.right(envelope.right.data)
  return Either.left(
    new UnexpectedResponseError({
      status,
      bodyExcerpt: body.slice(0, EXCERPT_LENGTH),
      sendOutcome: isSuccessStatus ? "unknown" : "not-sent"
    })
  )
}
