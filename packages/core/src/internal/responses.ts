import * as Either from "effect/Either"
import {
  InvalidApiKeyError,
  type OneRouteError,
  RateLimitedError,
  RejectedError,
  type RejectedReason,
  type SendOutcome,
  ServerError,
  UnexpectedResponseError
} from "../Errors.js"

import { parseJson } from "./answer/json.js"
import { bodyClaimsNothingDone, isRefusalStatus } from "./answer/proof.js"
import { parseRetryAfter } from "./answer/retryAfter.js"
import { shown, shownResult } from "./answer/shown.js"
import { decodeError } from "./errorWire.js"
import { noScrubber, type Scrubber } from "./scrub.js"

export { parseRetryAfter } from "./answer/retryAfter.js"
export { makeScrubber, type Scrubber } from "./scrub.js"

const EXCERPT_LENGTH = 200
const SERVER_MESSAGE_LENGTH = 500

/**
 * Formats `error.stack` now. Until first read V8 keeps the structured stack trace, whose frames
 * hold the functions (and their closures: the body being read) that were running when the error
 * was made: a 200-character excerpt would keep a megabyte body alive.
 */
export const withStackFormatted = <E extends Error>(error: E): E => {
  void error.stack
  return error
}

/** The error a relay forwarded, so it arrives as the very class the relay saw. */
const relayedError = (json: unknown): OneRouteError | undefined =>
  typeof json === "object" && json !== null && "error" in json ? decodeError(json.error) : undefined

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
   * Removes the API key from everything shown that came from the server: error fields
   * (`serverMessage` after JSON decoding, `bodyExcerpt`) and every string of a result. Default: none.
   */
  readonly scrubber?: Scrubber
}

/** The server's own explanation, when the body is an object with a string `message`. */
const serverMessageOf = (json: unknown): string | undefined =>
  typeof json === "object" && json !== null && "message" in json && typeof json.message === "string"
    ? json.message
    : undefined

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

const rejected = (status: number, detail: { serverMessage?: string }, sendOutcome: SendOutcome) =>
  new RejectedError({ status, ...detail, reason: rejectedReason(detail.serverMessage), sendOutcome })

/**
 * The one answer interpreter every endpoint's answers go through: the status picks the class,
 * then the endpoint's decoder runs inside it; what is kept of the server's text is cut and
 * scrubbed (results included). It never throws: whatever fails while reading or decoding is an
 * `UnexpectedResponseError` with the outcome the status implies. Which answers prove "not sent"
 * is `answer/proof.ts`'s to say.
 */
export const interpretAnswer = <A>(
  answer: RawAnswer,
  decodeSuccess: (json: unknown) => A | undefined
): Either.Either<A, OneRouteError> => {
  const scrubber = answer.scrubber ?? noScrubber
  let result: Either.Either<A, OneRouteError>
  try {
    result = interpret(answer, decodeSuccess, scrubber)
  } catch {
    // A decoder or walker that failed on a hostile answer: the request reached the server.
    result = Either.left(unexpected(answer, scrubber))
  }
  return Either.mapLeft(result, withStackFormatted)
}

const EXCERPT_OF_UNREADABLE = "(an answer the SDK could not read)"

const unexpected = (answer: RawAnswer, scrubber: Scrubber): UnexpectedResponseError => {
  let bodyExcerpt = EXCERPT_OF_UNREADABLE
  try {
    bodyExcerpt = shown(answer.body, EXCERPT_LENGTH, scrubber)
  } catch {}
  return new UnexpectedResponseError({ status: answer.status, bodyExcerpt, sendOutcome: "unknown" })
}

const interpret = <A>(
  answer: RawAnswer,
  decodeSuccess: (json: unknown) => A | undefined,
  scrubber: Scrubber
): Either.Either<A, OneRouteError> => {
  const { status, body } = answer
  // A body cut off at the cap is never parsed: its start could happen to be valid JSON.
  const json = answer.complete === false ? undefined : parseJson(body)
  const detail = (): { serverMessage?: string } => {
    const message = serverMessageOf(json)
    return message === undefined ? {} : { serverMessage: shown(message, SERVER_MESSAGE_LENGTH, scrubber) }
  }
  const forwarded = answer.relayed ? relayedError(json) : undefined
  if (forwarded !== undefined) return Either.left(forwarded)

  const refusal = isRefusalStatus(status) && bodyClaimsNothingDone(json)
  const outcome: SendOutcome = refusal ? "not-sent" : "unknown"
  if (status === 401 && refusal) return Either.left(new InvalidApiKeyError(detail()))
  if (status === 429 && refusal) {
    const retryAfter = parseRetryAfter(answer.retryAfter, answer.now)
    return Either.left(new RateLimitedError({ ...detail(), ...(retryAfter === undefined ? {} : { retryAfter }) }))
  }
  if (status >= 400 && status < 500) return Either.left(rejected(status, detail(), outcome))
  if (status >= 500) return Either.left(new ServerError({ status, ...detail() }))

  // Below 400 nothing proves the POST was not carried out: a 303 is what follows a processed POST.
  if (typeof json === "object" && json !== null && "success" in json && json.success === false) {
    return Either.left(rejected(status, detail(), "unknown"))
  }
  const decoded = status >= 200 && status < 300 ? decodeSuccess(json) : undefined
  if (decoded === undefined) return Either.left(unexpected(answer, scrubber))
  // Only scrub a result when the body holds the key in some form: one linear pass over the body.
  const keyShown = scrubber.scrubsResults && scrubber.scrub(body) !== body
  return Either.right(shownResult(decoded, keyShown ? scrubber : undefined))
}
