import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type { Endpoint } from "../Endpoint.js"
import { type SessionMessage, SessionMessageEnvelope, SessionMessageRequest } from "../Schemas.js"
import { TemplateMessageRequest, type TemplateMessageResult } from "../TemplateMessage.js"
import { fastRequest, fastSessionMessage } from "./sessionFastPath.js"
import { decodeTemplateAnswer, encodeTemplateAnswer } from "./templateEndpoint.js"
import { validator } from "./validation.js"

const validateSessionRequest = validator(SessionMessageRequest)
const decodeSessionEnvelope = Schema.decodeUnknownEither(SessionMessageEnvelope)
const encodeSessionEnvelope = Schema.encodeSync(SessionMessageEnvelope)

export const sessionMessage: Endpoint<
  "sendSessionMessage",
  SessionMessageRequest.Encoded,
  SessionMessageRequest,
  SessionMessage
> = {
  name: "sendSessionMessage",
  path: "api/public/conversation/text",
  // A 4096-character message, every character JSON-escaped (6 bytes), and the numbers.
  maxRelayBodyBytes: 32 * 1024,
  validate: (input) => {
    const fast = fastRequest(input)
    return fast === undefined ? validateSessionRequest(input) : Either.right(fast)
  },
  from: (request) => request.from,
  decodeSuccess: (json) =>
    fastSessionMessage(json) ??
    Either.getOrUndefined(Either.map(decodeSessionEnvelope(json), (envelope) => envelope.data)),
  encodeSuccess: (message) =>
    encodeSessionEnvelope({ data: message, message: "Message sent to customer", success: true }),
  requestAttributes: (request) => ({ "oneroute.message.length": request.message.length }),
  answerAttributes: (message) => ({ "oneroute.message.id": message.id })
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
  validate: validator(TemplateMessageRequest),
  from: (request) => request.from,
  decodeSuccess: decodeTemplateAnswer,
  encodeSuccess: encodeTemplateAnswer,
  requestAttributes: (request) => ({ "oneroute.template.recipients": request.messages.length }),
  answerAttributes: (result) => {
    let sent = 0
    for (const outcome of result.outcomes) if (outcome.status === "sent") sent++
    return { "oneroute.template.sent": sent, "oneroute.template.failed": result.outcomes.length - sent }
  }
}

/** Every endpoint the SDK knows, in one list: what the relay routes and the hostile suite runs. */
export const all = [sessionMessage, templateMessage] as const
