/**
 * The template message's answer, both ways: OneRoute's `{ data: [{ status, response }], message,
 * success: true }` as one typed outcome per recipient, and back (what a relay answers with).
 */
import {
  MAX_DETAIL_LENGTH,
  MAX_SERVER_STATUS_LENGTH,
  type TemplateMessageRequest,
  type TemplateMessageResult,
  type TemplateOutcome
} from "../TemplateMessage.js"
import { cut } from "./answer/shown.js"

/** Entry statuses that say a recipient was not sent (compared without case). */
const FAILURE_STATUSES: ReadonlySet<string> = new Set(["failed", "failure", "error"])

/** A `response` that reads as a message id rather than an explanation. */
const ID_LIKE = /^[A-Za-z0-9._:=+/-]{1,200}$/

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** What OneRoute said about a recipient, as text. */
const responseText = (response: unknown): string | undefined => {
  if (typeof response === "string") return response.trim().length > 0 ? response : undefined
  // Parsed answers nest at most 64 deep (answer/json.ts), so this cannot run out of stack.
  return response === undefined || response === null ? undefined : JSON.stringify(response)
}

const statusText = (status: unknown): string | null =>
  status === undefined || status === null
    ? null
    : cut(typeof status === "string" ? status : String(JSON.stringify(status)), MAX_SERVER_STATUS_LENGTH)

const outcomeOf = (to: TemplateOutcome["to"], status: unknown, response: unknown): TemplateOutcome | undefined => {
  if (status === "success") {
    return typeof response === "string" && response.length > 0 ? { to, status: "sent", messageId: response } : undefined
  }
  const serverStatus = statusText(status)
  const text = responseText(response)
  if (typeof status === "string" && FAILURE_STATUSES.has(status.trim().toLowerCase())) {
    const detail = text ?? `OneRoute reported ${JSON.stringify(serverStatus)} for this recipient, with no explanation`
    return { to, status: "failed", serverStatus: serverStatus ?? "", detail: cut(detail, MAX_DETAIL_LENGTH) }
  }
  const messageId = typeof response === "string" && ID_LIKE.test(response) ? response : null
  const described =
    serverStatus === null
      ? "OneRoute reported no status for this recipient: it may have been sent"
      : `OneRoute reported ${JSON.stringify(serverStatus)} for this recipient, which the SDK does not recognise: it may have been sent`
  return {
    to,
    status: "unknown",
    serverStatus,
    messageId,
    detail: cut(messageId === null ? (text ?? described) : described, MAX_DETAIL_LENGTH)
  }
}

/**
 * One outcome per recipient, or `undefined` when the answer is not the documented envelope: not
 * an object with `success: true`, a string `message` and an array `data`; `data` not exactly one
 * entry per recipient (the SDK cannot tell who got what); an entry that is not an object; a
 * `"success"` entry without a message id. Only `"success"` is "sent", a failure word "failed",
 * anything else "unknown" (never "failed": callers resend failed recipients).
 */
export const decodeTemplateAnswer = (
  json: unknown,
  request: TemplateMessageRequest
): TemplateMessageResult | undefined => {
  if (!isObject(json) || json.success !== true || typeof json.message !== "string") return undefined
  const data = json.data
  if (!Array.isArray(data) || data.length !== request.messages.length) return undefined
  const outcomes: Array<TemplateOutcome> = []
  for (let index = 0; index < data.length; index++) {
    const entry: unknown = data[index]
    if (!isObject(entry)) return undefined
    const outcome = outcomeOf(request.messages[index]!.to, entry.status, entry.response)
    if (outcome === undefined) return undefined
    outcomes.push(outcome)
  }
  return { message: json.message, outcomes }
}

/** The documented envelope for a result: what `decodeTemplateAnswer` reads back as the same result. */
export const encodeTemplateAnswer = (result: TemplateMessageResult): unknown => ({
  data: result.outcomes.map((outcome) => {
    switch (outcome.status) {
      case "sent":
        return { status: "success", response: outcome.messageId }
      case "failed":
        return { status: outcome.serverStatus, response: outcome.detail }
      case "unknown":
        break
    }
    const response = outcome.messageId ?? outcome.detail
    return outcome.serverStatus === null ? { response } : { status: outcome.serverStatus, response }
  }),
  message: result.message,
  success: true
})
