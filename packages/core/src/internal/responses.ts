import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import {
  InvalidApiKeyError,
  OneRouteError,
  RateLimitedError,
  RejectedError,
  type RejectedReason,
  ServerError,
  UnexpectedResponseError
} from "../Errors.js"

import { noScrubber, type Scrubber } from "./scrub.js"

export { makeScrubber, type Scrubber } from "./scrub.js"

const EXCERPT_LENGTH = 200
const SERVER_MESSAGE_LENGTH = 500
const decodeError = Schema.decodeUnknownEither(OneRouteError)

/**
 * A copy of a short string that shares no memory with the string it came from. V8 may make
 * `slice` (and `JSON.parse`) results views into their source, so an error holding a 200-character
 * excerpt could keep a whole multi-megabyte body alive.
 */
export const detach = (text: string): string => (text === "" ? "" : (JSON.parse(JSON.stringify(text)) as string))

/**
 * The first `length` characters of `text` as shown: scrubbed over a window wide enough that a
 * secret crossing the cut is replaced whole (no half key survives the cut), then copied.
 */
const shown = (text: string, length: number, scrubber: Scrubber) =>
  detach(scrubber.scrub(text.slice(0, length + scrubber.margin)).slice(0, length))

/**
 * Formats `error.stack` now. Until first read V8 keeps the structured stack trace, whose frames
 * hold the functions (and their closures: the body being read) that were running when the error
 * was made: a 200-character excerpt would keep a megabyte body alive.
 */
export const withStackFormatted = <E extends Error>(error: E): E => {
  void error.stack
  return error
}

/** The error a relay forwarded, so it arrives as the very class the relay saw (copied out of the body). */
const relayedError = (json: unknown): OneRouteError | undefined => {
  if (typeof json !== "object" || json === null || !("error" in json)) return undefined
  const copy: unknown = JSON.parse(JSON.stringify(json.error) ?? "null")
  return Either.getOrUndefined(decodeError(copy))
}

/** What arrived: status, the headers the SDK reads, and the body as text. */
export interface RawAnswer {
  readonly status: number
  readonly retryAfter: string | undefined
  /** The body as text; only its start when `complete` is `false`. */
  readonly body: string
  /** `false` when the body was larger than the read cap, or broke off: never parsed then. */
  readonly complete?: boolean
  readonly now: number
  /** From a relay (`relayUrl`), whose failure envelopes carry the original error in `error`. */
  readonly relayed: boolean
  /**
   * Removes the API key from the text errors show (`serverMessage` after JSON decoding,
   * `bodyExcerpt`); a success payload is never scrubbed. Default: none.
   */
  readonly scrubber?: Scrubber
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
    ? json.message
    : undefined

/** `Retry-After` is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export const parseRetryAfter = (header: string | undefined, now: number): Duration.Duration | undefined => {
  if (header === undefined) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Duration.seconds(Number(text))
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Duration.millis(Math.max(0, at - now))
}

const WINDOW_CLOSED =
  /\b24[- ]?h(?:ours?|rs?)?\b|customer[- ](?:service|care)[- ]window|(?:session|conversation|messaging|service) window|window (?:is |has )?(?:closed|expired|elapsed)|re-?engage/i
const NOT_CONNECTED =
  /\bnot (?:connected|linked|attached) to (?:a |any |the )?channel|\bno (?:connected |active )?channel\b|\bchannel (?:not found|does not exist|is not connected|is disconnected|not connected)/i
const BAD_NUMBER =
  /\b(?:invalid|not (?:a )?valid|must be a valid|unknown|unregistered|not registered|not on whatsapp)\b/i
const NUMBER_WORD = /\b(?:number|phone|recipient|whatsapp|msisdn)\b/i
const RECIPIENT = /"to"|\bin to\b|\bto\b\s*(?:$|[:.,])|\brecipient\b|\bcustomer\b/i

/**
 * What a refusal is about, read from the server's `message` (OneRoute documents none of them; the
 * wordings are the emulator's and close variants). `"unknown"` when nothing matches, or when
 * the message is about `from`.
 */
export const rejectedReason = (serverMessage: string | undefined): RejectedReason => {
  if (serverMessage === undefined) return "unknown"
  const text = serverMessage.slice(0, 500)
  if (WINDOW_CLOSED.test(text)) return "window-closed"
  if (NOT_CONNECTED.test(text)) return "channel-not-connected"
  if (BAD_NUMBER.test(text) && NUMBER_WORD.test(text) && RECIPIENT.test(text) && !/"from"|\bfrom\b/i.test(text)) {
    return "invalid-recipient"
  }
  return "unknown"
}

const rejected = (status: number, detail: { serverMessage?: string }) =>
  new RejectedError({ status, ...detail, reason: rejectedReason(detail.serverMessage) })

/**
 * The one status → result table. The status picks the class; the body only adds detail.
 * 1xx–3xx answers succeed only with the endpoint's documented success envelope (`decodeSuccess`).
 */
export const interpretAnswer = <A>(
  answer: RawAnswer,
  decodeSuccess: (json: unknown) => A | undefined
): Either.Either<A, OneRouteError> => Either.mapLeft(interpret(answer, decodeSuccess), withStackFormatted)

const interpret = <A>(
  answer: RawAnswer,
  decodeSuccess: (json: unknown) => A | undefined
): Either.Either<A, OneRouteError> => {
  const { status, body } = answer
  const scrubber = answer.scrubber ?? noScrubber
  // A body cut off at the cap is never parsed: its start could happen to be valid JSON.
  const json = answer.complete === false ? undefined : parseJson(body)
  // Only failures show the server's message: a success payload is returned untouched.
  const detail = (): { serverMessage?: string } => {
    const message = serverMessageOf(json)
    return message === undefined ? {} : { serverMessage: shown(message, SERVER_MESSAGE_LENGTH, scrubber) }
  }
  const forwarded = answer.relayed ? relayedError(json) : undefined
  if (forwarded !== undefined) return Either.left(forwarded)

  if (status === 401) return Either.left(new InvalidApiKeyError(detail()))
  if (status === 429) {
    const retryAfter = parseRetryAfter(answer.retryAfter, answer.now)
    return Either.left(new RateLimitedError({ ...detail(), ...(retryAfter === undefined ? {} : { retryAfter }) }))
  }
  if (status >= 400 && status < 500) return Either.left(rejected(status, detail()))
  if (status >= 500) return Either.left(new ServerError({ status, ...detail() }))

  if (typeof json === "object" && json !== null && "success" in json && json.success === false) {
    return Either.left(rejected(status, detail()))
  }
  const isSuccessStatus = status >= 200 && status < 300
  const result = isSuccessStatus ? decodeSuccess(json) : undefined
  if (result !== undefined) return Either.right(result)
  return Either.left(
    new UnexpectedResponseError({
      status,
      bodyExcerpt: shown(body, EXCERPT_LENGTH, scrubber),
      sendOutcome: isSuccessStatus ? "unknown" : "not-sent"
    })
  )
}
