/**
 * Fast paths for the session message's two schemas, for the inputs and answers nearly every send
 * has: already-normalised numbers, and the documented 200 envelope. Each returns `undefined`
 * for anything else, and the schema (the one authority, with its error messages) decides then.
 * A property test checks that wherever a fast path answers, it answers what the schema does.
 */
import { MAX_MESSAGE_LENGTH, type SessionMessage, type SessionMessageRequest } from "../Schemas.js"

const NORMALISED_NUMBER = /^[1-9][0-9]{7,14}$/

type Fields = { readonly [key: string]: unknown }

const isObject = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A request whose numbers are already normalised and whose text is valid, as the schema decodes it. */
export const fastRequest = (input: unknown): SessionMessageRequest | undefined => {
  if (!isObject(input)) return undefined
  const { from, to, message } = input
  if (typeof from !== "string" || typeof to !== "string" || typeof message !== "string") return undefined
  if (!NORMALISED_NUMBER.test(from) || !NORMALISED_NUMBER.test(to)) return undefined
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

/** `data` of the documented success envelope, decoded as the schema decodes it. */
export const fastSessionMessage = (json: unknown): SessionMessage | undefined => {
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
