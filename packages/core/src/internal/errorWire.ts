/**
 * The errors as JSON on the wire (what a relay answers in `error`) and back, without
 * `effect/Schema`. The form is the one the relay has always sent: the fields, `_tag`, and
 * durations as milliseconds (`retryAfter`, `timeout`). Decoding checks every field and returns
 * `undefined` for anything else; a reason this version does not know reads as `"unknown"`.
 */
import * as Duration from "effect/Duration"
import {
  ClientClosedError,
  type InputIssue,
  InvalidApiKeyError,
  InvalidInputError,
  NetworkError,
  type OneRouteError,
  RateLimitedError,
  REJECTED_REASONS,
  RejectedError,
  type RejectedReason,
  RequestTimeoutError,
  type SendOutcome,
  ServerError,
  UnexpectedResponseError
} from "../Errors.js"
import { isObject } from "./isObject.js"

/** An error as plain JSON, durations in milliseconds. */
export const encodeError = (error: OneRouteError): Record<string, unknown> => {
  const fields: Record<string, unknown> = { ...error }
  if (error._tag === "RateLimitedError" && error.retryAfter !== undefined) fields.retryAfter = error.retryAfterMs
  if (error._tag === "RequestTimeoutError") fields.timeout = error.timeoutMs
  return fields
}

const string = (value: unknown): value is string => typeof value === "string"
const optionalString = (value: unknown): value is string | undefined => value === undefined || string(value)
const status = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value)
const outcome = (value: unknown): value is SendOutcome => value === "not-sent" || value === "unknown"
const millis = (value: unknown): value is number => typeof value === "number" && value >= 0 && Number.isFinite(value)
const knownReasons: ReadonlySet<unknown> = new Set(REJECTED_REASONS)

const issue = (value: unknown): value is InputIssue =>
  isObject(value) &&
  string(value.message) &&
  Array.isArray(value.path) &&
  value.path.every((key) => typeof key === "string" || typeof key === "number")

/** The error `json` describes, or `undefined` when it is not one of the SDK's errors. */
export const decodeError = (json: unknown): OneRouteError | undefined => {
  if (!isObject(json)) return undefined
  const { serverMessage } = json
  if (!optionalString(serverMessage)) return undefined
  switch (json._tag) {
    case "InvalidInputError":
      return Array.isArray(json.issues) && json.issues.every(issue)
        ? new InvalidInputError({ issues: json.issues.map(({ path, message }) => ({ path: [...path], message })) })
        : undefined
    case "InvalidApiKeyError":
      return new InvalidApiKeyError({ serverMessage })
    case "RateLimitedError":
      if (json.retryAfter !== undefined && !millis(json.retryAfter)) return undefined
      return new RateLimitedError({
        serverMessage,
        retryAfter: json.retryAfter === undefined ? undefined : Duration.millis(json.retryAfter)
      })
    case "RejectedError": {
      const { reason, refusedBy } = json
      if (!status(json.status) || !outcome(json.sendOutcome) || (refusedBy !== undefined && refusedBy !== "relay")) {
        return undefined
      }
      return new RejectedError({
        status: json.status,
        serverMessage,
        reason: knownReasons.has(reason) ? (reason as RejectedReason) : "unknown",
        refusedBy,
        sendOutcome: json.sendOutcome
      })
    }
    case "ServerError":
      return status(json.status) ? new ServerError({ status: json.status, serverMessage }) : undefined
    case "NetworkError":
      return string(json.reason) && outcome(json.sendOutcome)
        ? new NetworkError({ reason: json.reason, sendOutcome: json.sendOutcome })
        : undefined
    case "RequestTimeoutError":
      return millis(json.timeout) ? new RequestTimeoutError({ timeout: Duration.millis(json.timeout) }) : undefined
    case "UnexpectedResponseError":
      return status(json.status) && string(json.bodyExcerpt) && outcome(json.sendOutcome)
        ? new UnexpectedResponseError({
            status: json.status,
            bodyExcerpt: json.bodyExcerpt,
            sendOutcome: json.sendOutcome
          })
        : undefined
    case "ClientClosedError":
      return new ClientClosedError()
    default:
      return undefined
  }
}
