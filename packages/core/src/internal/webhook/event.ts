/**
 * A webhook payload as a `WebhookEvent`, in plain code (the main entry loads no `effect/Schema`).
 * Lenient by design: OneRoute documents one event only partly, so a field that is missing or of
 * another type is `undefined`, never an error. Kept strings are cut, so a hostile payload cannot
 * make an event larger than its limits say.
 */
import type { MessageDirection, NewMessage, SmsDeliveryReport, UnknownEvent, WebhookEvent } from "../../Webhook.js"
import { cut } from "../answer/shown.js"
import { isObject } from "../isObject.js"

type JsonObject = { readonly [key: string]: unknown }

/** The longest message text kept (WhatsApp's own limit is 4,096; headroom for other channels). */
export const MAX_CONTENT_LENGTH = 16_384
/** The longest media URL kept. */
export const MAX_URL_LENGTH = 2048
/** The longest SMS failure reason kept. */
export const MAX_REASON_LENGTH = 500
/** The longest id, name, type or status kept. */
export const MAX_FIELD_LENGTH = 256

const EMPTY: JsonObject = {}

const objectAt = (value: unknown): JsonObject => (isObject(value) ? value : EMPTY)

const text = (value: unknown, length: number): string | undefined =>
  typeof value === "string" ? cut(value, length) : undefined

const field = (value: unknown): string | undefined => text(value, MAX_FIELD_LENGTH)

/** A date from an ISO string (what OneRoute writes), or `undefined`. */
const date = (value: unknown): Date | undefined => {
  if (typeof value !== "string" || value.length > MAX_FIELD_LENGTH) return undefined
  const parsed = new Date(value)
  return Number.isNaN(parsed.getTime()) ? undefined : parsed
}

const count = (value: unknown): number | undefined => {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value
  return typeof number === "number" && Number.isFinite(number) ? number : undefined
}

const directionOf = (authUser: unknown): MessageDirection =>
  authUser === false ? "inbound" : authUser === true ? "outbound" : "unknown"

const newMessage = (payload: JsonObject, receivedAt: Date): NewMessage => {
  const message = objectAt(payload.message)
  const sender = objectAt(message.sender)
  const conversation = objectAt(payload.conversation)
  return {
    _tag: "NewMessage",
    direction: directionOf(sender.authUser),
    conversationId: field(message.conversation_id) ?? field(conversation.id),
    content: text(message.content, MAX_CONTENT_LENGTH),
    contentType: field(message.contentType),
    imageUrl: text(message.imageUrl, MAX_URL_LENGTH),
    videoUrl: text(message.videoUrl, MAX_URL_LENGTH),
    documentUrl: text(message.documentUrl, MAX_URL_LENGTH),
    audioUrl: text(message.audioUrl, MAX_URL_LENGTH),
    senderName: field(sender.name),
    externalId: field(message.externalId),
    quotedMessageId: field(message.quoted_message_id),
    occurredAt: date(conversation.lastMessageAt) ?? date(sender.lastActivity),
    receivedAt,
    payload
  }
}

const smsDeliveryReport = (payload: JsonObject, receivedAt: Date): SmsDeliveryReport => {
  const report = objectAt(payload.conversation)
  return {
    _tag: "SmsDeliveryReport",
    id: field(report.id),
    externalId: field(report.externalId),
    status: field(report.status),
    reason: text(report.reason, MAX_REASON_LENGTH),
    from: field(report.from),
    to: field(report.to),
    units: count(report.units),
    deliveredAt: date(report.delivered_time),
    createdAt: date(report.createdAt),
    receivedAt,
    payload
  }
}

const unknownEvent = (payload: JsonObject, receivedAt: Date): UnknownEvent => ({
  _tag: "UnknownEvent",
  event: field(payload.event),
  receivedAt,
  payload
})

/** The event a parsed payload (a JSON object) carries. Never throws. */
export const decodeWebhookEvent = (payload: JsonObject, receivedAt: Date): WebhookEvent => {
  switch (payload.event) {
    case "newMessage":
      return newMessage(payload, receivedAt)
    case "smsDeliveryReport":
      return smsDeliveryReport(payload, receivedAt)
    default:
      return unknownEvent(payload, receivedAt)
  }
}
