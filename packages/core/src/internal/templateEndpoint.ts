/**
 * The template message's answer, both ways: OneRoute's `{ data: [{ status, response }], message,
 * success: true }` as one typed outcome per recipient, and back (what a relay answers with).
 */
import type { TemplateMessageRequest, TemplateMessageResult, TemplateOutcome } from "../TemplateMessage.js"

/** The longest `detail` a failed outcome keeps (OneRoute's text for that recipient). */
export const DETAIL_LENGTH = 500

const cut = (text: string): string => (text.length <= DETAIL_LENGTH ? text : `${text.slice(0, DETAIL_LENGTH - 1)}…`)

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** What OneRoute said about a recipient it did not report as sent. */
const failureDetail = (status: unknown, response: unknown): string => {
  if (typeof response === "string" && response.trim().length > 0) return cut(response)
  if (response !== undefined && response !== null && typeof response !== "string") {
    const json = JSON.stringify(response)
    if (json !== undefined) return cut(json)
  }
  return typeof status === "string"
    ? cut(`OneRoute reported ${JSON.stringify(status)} for this recipient, with no explanation`)
    : "OneRoute reported no status for this recipient"
}

/**
 * One outcome per recipient, or `undefined` when the answer is not the documented envelope: not
 * an object with `success: true`, a string `message` and an array `data`; `data` not exactly one
 * entry per recipient (the SDK cannot tell who got what); an entry that is not an object; a
 * `"success"` entry without a message id. Only an entry whose `status` is exactly `"success"` is
 * "sent"; any other is "failed" with what OneRoute said.
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
    const to = request.messages[index]!.to
    if (!isObject(entry)) return undefined
    const { status, response } = entry
    if (status === "success") {
      if (typeof response !== "string" || response.length === 0) return undefined
      outcomes.push({ to, status: "sent", messageId: response })
    } else {
      outcomes.push({
        to,
        status: "failed",
        serverStatus: typeof status === "string" ? status : null,
        detail: failureDetail(status, response)
      })
    }
  }
  return { message: json.message, outcomes }
}

/** The documented envelope for a result: what `decodeTemplateAnswer` reads back as the same result. */
export const encodeTemplateAnswer = (result: TemplateMessageResult): unknown => ({
  data: result.outcomes.map((outcome) =>
    outcome.status === "sent"
      ? { status: "success", response: outcome.messageId }
      : outcome.serverStatus === null
        ? { response: outcome.detail }
        : { status: outcome.serverStatus, response: outcome.detail }
  ),
  message: result.message,
  success: true
})
