/**
 * The template message in plain code: its request validated and normalised as
 * `TemplateMessageRequest` decodes it (property-tested against the schema; invalid input goes to
 * the schema for its messages), and its answer, both ways: OneRoute's `{ data: [{ status,
 * response }], message, success: true }` as one typed outcome per recipient, and back (what a
 * relay answers with).
 */
import type { Endpoint } from "../Endpoint.js"
import type { TemplateMessageRequest } from "../TemplateMessage.js"
import type { TemplateMessageResult, TemplateOutcome } from "../TemplateResult.js"
import { cut } from "./answer/shown.js"
import { validating } from "./endpoint.js"
import { isObject } from "./isObject.js"
import {
  MAX_DETAIL_LENGTH,
  MAX_SERVER_STATUS_LENGTH,
  MAX_TEMPLATE_BUTTONS,
  MAX_TEMPLATE_NAME_LENGTH,
  MAX_TEMPLATE_PARAMETERS,
  MAX_TEMPLATE_RECIPIENTS,
  MAX_TEMPLATE_TEXT_LENGTH,
  metadataProblem
} from "./limits.js"
import { validNumber } from "./sessionEndpoint.js"

const TEMPLATE_NAME = /^[a-z0-9_]+$/

type Parameter = { readonly type: "text"; readonly text: string }

const validParameters = (input: unknown, max: number): ReadonlyArray<Parameter> | undefined => {
  if (!Array.isArray(input) || input.length > max) return undefined
  const parameters: Array<Parameter> = []
  for (const parameter of input as ReadonlyArray<unknown>) {
    if (!isObject(parameter) || parameter.type !== "text") return undefined
    const { text } = parameter
    if (typeof text !== "string" || text.length > MAX_TEMPLATE_TEXT_LENGTH || text.trim().length === 0) return undefined
    parameters.push({ type: "text", text })
  }
  return parameters
}

/** An optional field of `exact` optionality: absent is fine, present must be valid (even `undefined` is not). */
const has = (input: object, key: string): boolean => Object.hasOwn(input, key)

export const validRecipient = (input: unknown): TemplateMessageRequest["messages"][number] | undefined => {
  if (!isObject(input) || !isObject(input.template)) return undefined
  const to = validNumber(input.to)
  const { name } = input.template
  if (to === undefined || typeof name !== "string") return undefined
  if (name.length === 0 || name.length > MAX_TEMPLATE_NAME_LENGTH || !TEMPLATE_NAME.test(name)) return undefined
  const parameters = validParameters(input.template.parameters, MAX_TEMPLATE_PARAMETERS)
  const buttons = has(input.template, "buttons") ? validParameters(input.template.buttons, MAX_TEMPLATE_BUTTONS) : []
  if (parameters === undefined || buttons === undefined) return undefined
  const template = has(input.template, "buttons") ? { name, parameters, buttons } : { name, parameters }
  if (has(input, "save") && typeof input.save !== "boolean") return undefined
  const { metadata } = input
  if (has(input, "metadata") && (!isObject(metadata) || metadataProblem(metadata) !== undefined)) return undefined
  return {
    to,
    template,
    ...(has(input, "save") ? { save: input.save as boolean } : {}),
    ...(has(input, "metadata") ? { metadata: metadata as { readonly [key: string]: unknown } } : {})
  } as TemplateMessageRequest["messages"][number]
}

/** The request as `TemplateMessageRequest` decodes it, or `undefined` when the schema would refuse it. */
export const validTemplateRequest = (input: unknown): TemplateMessageRequest | undefined => {
  if (!isObject(input)) return undefined
  const from = validNumber(input.from)
  const { messages } = input
  if (from === undefined || !Array.isArray(messages)) return undefined
  if (messages.length === 0 || messages.length > MAX_TEMPLATE_RECIPIENTS) return undefined
  const recipients: Array<TemplateMessageRequest["messages"][number]> = []
  for (const message of messages as ReadonlyArray<unknown>) {
    const recipient = validRecipient(message)
    if (recipient === undefined) return undefined
    recipients.push(recipient)
  }
  return { from, messages: recipients } as unknown as TemplateMessageRequest
}

/** Entry statuses that say a recipient was not sent (compared without case). */
const FAILURE_STATUSES: ReadonlySet<string> = new Set(["failed", "failure", "error"])

/** A `response` that reads as a message id rather than an explanation. */
const ID_LIKE = /^[A-Za-z0-9._:=+/-]{1,200}$/

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

const countOf = (result: TemplateMessageResult, status: TemplateOutcome["status"]): number => {
  let count = 0
  for (const outcome of result.outcomes) if (outcome.status === status) count++
  return count
}

export const templateMessage: Endpoint<
  "sendTemplateMessage",
  TemplateMessageRequest.Encoded,
  TemplateMessageRequest,
  TemplateMessageResult
> = {
  name: "sendTemplateMessage",
  path: "api/public/conversation/template",
  // 100 recipients with 10 parameters of 1,024 characters and 4 KiB of metadata each.
  maxRelayBodyBytes: 2 * 1024 * 1024,
  validate: validating(validTemplateRequest, () =>
    import("../TemplateMessage.js").then((module) => module.TemplateMessageRequest)
  ),
  from: (request) => request.from,
  decodeSuccess: decodeTemplateAnswer,
  encodeSuccess: encodeTemplateAnswer,
  fake: (request, { sequence, failing }) => ({
    message: "Message sent to customer",
    outcomes: request.messages.map(({ to }, index) =>
      failing.has(to)
        ? { to, status: "failed", serverStatus: "failed", detail: "Failed on purpose (a fake answer)" }
        : { to, status: "sent", messageId: `fake-template-${sequence}-${index + 1}` }
    )
  }),
  requestAttributes: (request) => ({ "oneroute.template.recipients": request.messages.length }),
  answerAttributes: (result) => ({
    "oneroute.template.sent": countOf(result, "sent"),
    "oneroute.template.failed": countOf(result, "failed"),
    "oneroute.template.unknown": countOf(result, "unknown")
  })
}
