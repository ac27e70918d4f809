import * as Duration from "effect/Duration"
import { type OneRouteError, RejectedError, type RejectedReason } from "../../Errors.js"
import type { StoredAnswer } from "../../IdempotencyStore.js"
import { encodeError } from "../errorWire.js"

/** The HTTP status a relay answers each error with; the browser reads the class from `error`. */
const statusOf = (error: OneRouteError): number => {
  switch (error._tag) {
    case "InvalidInputError":
      return 400
    case "RateLimitedError":
      return 429
    case "RejectedError":
      return error.status >= 400 && error.status < 600 ? error.status : 422
    case "RequestTimeoutError":
      return 504
    default:
      // The relay's own key or OneRoute failed: a gateway problem, not the browser's.
      return 502
  }
}

const answerJson = (status: number, body: unknown, headers: Record<string, string> = {}): StoredAnswer => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body)
})

/** OneRoute's success envelope (the endpoint's `encodeSuccess`), as the relay passes it on. */
export const success = (envelope: unknown): StoredAnswer => answerJson(200, envelope)

/** OneRoute's failure envelope, plus the original error in `error` for relay-mode clients. */
export const failure = (error: OneRouteError, headers: Record<string, string> = {}): StoredAnswer =>
  answerJson(
    statusOf(error),
    {
      data: null,
      message: "serverMessage" in error && error.serverMessage !== undefined ? error.serverMessage : error.message,
      success: false,
      error: encodeError(error)
    },
    error._tag === "RateLimitedError" && error.retryAfter !== undefined
      ? { "retry-after": String(Math.ceil(Duration.toSeconds(error.retryAfter))), ...headers }
      : headers
  )

/** The relay itself refuses: nothing reached OneRoute. */
export const refuse = (
  status: number,
  reason: RejectedReason,
  serverMessage: string,
  headers: Record<string, string> = {}
): StoredAnswer => failure(new RejectedError({ status, serverMessage, reason, refusedBy: "relay" }), headers)
