/**
 * The session message's request and answer in plain code, so that a valid send loads no
 * `effect/Schema`: the request validated and normalised, the 200 envelope decoded and encoded.
 * The schemas stay the authority (and the source of every error message): a property test checks
 * that these agree with them on every input, and invalid input goes to the schemas.
 */
import type { Endpoint } from "../Endpoint.js"
import type { SessionMessage, SessionMessageRequest } from "../Schemas.js"
import { validating } from "./endpoint.js"
import { isObject } from "./isObject.js"
import { E164_DIGITS, MAX_MESSAGE_LENGTH, normaliseNumber } from "./limits.js"

/** A number normalised as `WhatsAppNumber` decodes it, or `undefined` when it is not one. */
export const validNumber = (input: unknown): string | undefined => {
  if (typeof input !== "string") return undefined
  const digits = normaliseNumber(input)
  return E164_DIGITS.test(digits) ? digits : undefined
}

/** The request as `SessionMessageRequest` decodes it, or `undefined` when the schema would refuse it. */
export const validSessionRequest = (input: unknown): SessionMessageRequest | undefined => {
  if (!isObject(input)) return undefined
  const from = validNumber(input.from)
  const to = validNumber(input.to)
  const { message } = input
  if (from === undefined || to === undefined || typeof message !== "string") return undefined
  if (message.length > MAX_MESSAGE_LENGTH || message.trim().length === 0) return undefined
  return { from, to, message } as SessionMessageRequest
}

const date = (value: unknown): Date | undefined => {
  if (typeof value !== "string") return undefined
  const parsed = new Date(value)
  return Number.isNaN(parsed.getTime()) ? undefined : parsed
}

/** `null` for absent or null, the string itself, or `undefined` (not decodable) for anything else. */
const nullableString = (value: unknown): string | null | undefined =>
  value === undefined || value === null ? null : typeof value === "string" ? value : undefined

/** `data` of the documented success envelope, decoded as `SessionMessageEnvelope` decodes it. */
export const decodeSessionAnswer = (json: unknown): SessionMessage | undefined => {
  if (!isObject(json) || json.success !== true || typeof json.message !== "string") return undefined
  const data = json.data
  if (!isObject(data) || !isObject(data.sender)) return undefined
  const { id, content, contentType, externalId, conversation_id: conversationId } = data
  const { name, authUser } = data.sender
  if (
    typeof id !== "string" ||
    typeof content !== "string" ||
    typeof contentType !== "string" ||
    typeof externalId !== "string" ||
    typeof conversationId !== "string" ||
    typeof name !== "string" ||
    typeof authUser !== "boolean"
  ) {
    return undefined
  }
  const lastActivity = date(data.sender.lastActivity)
  const createdAt = date(data.createdAt)
  const updatedAt = date(data.updatedAt)
  const subject = nullableString(data.subject)
  const imageUrl = nullableString(data.imageUrl)
  const videoUrl = nullableString(data.videoUrl)
  const documentUrl = nullableString(data.documentUrl)
  const audioUrl = nullableString(data.audioUrl)
  const quotedMessageId = nullableString(data.quoted_message_id)
  if (
    lastActivity === undefined ||
    createdAt === undefined ||
    updatedAt === undefined ||
    subject === undefined ||
    imageUrl === undefined ||
    videoUrl === undefined ||
    documentUrl === undefined ||
    audioUrl === undefined ||
    quotedMessageId === undefined
  ) {
    return undefined
  }
  return {
    id,
    content,
    contentType,
    sender: { name, authUser, lastActivity },
    externalId,
    conversationId,
    createdAt,
    updatedAt,
    subject,
    imageUrl,
    videoUrl,
    documentUrl,
    audioUrl,
    quotedMessageId
  }
}

/** The documented success envelope for a message, as `SessionMessageEnvelope` encodes it. */
export const encodeSessionAnswer = (message: SessionMessage): unknown => ({
  data: {
    id: message.id,
    content: message.content,
    contentType: message.contentType,
    sender: { ...message.sender, lastActivity: message.sender.lastActivity.toISOString() },
    externalId: message.externalId,
    conversation_id: message.conversationId,
    createdAt: message.createdAt.toISOString(),
    updatedAt: message.updatedAt.toISOString(),
    subject: message.subject,
    imageUrl: message.imageUrl,
    videoUrl: message.videoUrl,
    documentUrl: message.documentUrl,
    audioUrl: message.audioUrl,
    quoted_message_id: message.quotedMessageId
  },
  message: "Message sent to customer",
  success: true
})

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
  validate: validating(validSessionRequest, () =>
    import("../Schemas.js").then((module) => module.SessionMessageRequest)
  ),
  from: (request) => request.from,
  decodeSuccess: decodeSessionAnswer,
  encodeSuccess: encodeSessionAnswer,
  fake: (request, { now, sequence }) => ({
    id: crypto.randomUUID(),
    content: request.message,
    contentType: "TEXT",
    sender: { name: request.from, authUser: true, lastActivity: now },
    externalId: `fake-${sequence}`,
    conversationId: `conversation-${request.from}-${request.to}`,
    createdAt: now,
    updatedAt: now,
    subject: null,
    imageUrl: null,
    videoUrl: null,
    documentUrl: null,
    audioUrl: null,
    quotedMessageId: null
  }),
  requestAttributes: (request) => ({ "oneroute.message.length": request.message.length }),
  answerAttributes: (message) => ({ "oneroute.message.id": message.id })
}
