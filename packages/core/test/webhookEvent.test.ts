/**
 * The lenient event decoder: on any object it never throws, picks the tag from `event` alone,
 * keeps every string within its limit and every date valid, and reads each field exactly as a
 * schema of the documented payload reads it (a field of another type is `undefined`).
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  decodeWebhookEvent,
  MAX_CONTENT_LENGTH,
  MAX_FIELD_LENGTH,
  MAX_REASON_LENGTH,
  MAX_URL_LENGTH
} from "../src/internal/webhook/event.js"
import type { WebhookEvent } from "../src/Webhook.js"
import { documentedNewMessage } from "./webhookSupport.js"

const RECEIVED = new Date("2026-12-06T10:00:05.000Z")

const documentedReport = {
  event: "smsDeliveryReport",
  message: null,
  conversation: {
    id: "sms-1",
    externalId: "ext-1",
    status: "DELIVERED",
    reason: null,
    from: "OneRoute",
    to: "2348012345678",
    units: 1,
    delivered_time: "2026-12-06T10:00:03.000Z",
    createdAt: "2026-12-06T10:00:00.000Z"
  }
}

/** Any value where the documented payload has one, some replaced by near misses or long strings. */
const variant = (value: unknown): fc.Arbitrary<unknown> => {
  const misses = fc.oneof(
    fc.constantFrom(undefined, null, 0, "", "not a date", true, false, {}, [], "2026-12-06", "x".repeat(20_000)),
    fc.anything()
  )
  if (typeof value === "object" && value !== null) {
    const fields = Object.fromEntries(Object.entries(value).map(([key, field]) => [key, variant(field)] as const))
    return fc.oneof(
      { arbitrary: fc.record(fields), weight: 12 },
      { arbitrary: fc.record(fields, { requiredKeys: [] }), weight: 1 },
      { arbitrary: misses, weight: 1 }
    )
  }
  return fc.oneof({ arbitrary: fc.constant(value), weight: 8 }, { arbitrary: misses, weight: 1 })
}

const payloads = fc
  .oneof(
    variant(documentedNewMessage()),
    variant(documentedReport),
    fc.record({ event: fc.oneof(fc.string(), fc.anything()) }),
    fc.object(),
    fc.jsonValue()
  )
  .filter(
    (value): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)
  )

/** The reference: each field through its schema, cut as the SDK documents. */
const read = <A, I>(schema: Schema.Schema<A, I>, value: unknown): A | undefined =>
  Option.getOrUndefined(Schema.decodeUnknownOption(schema)(value))
const cutTo = (length: number) => (text: string | undefined) =>
  text === undefined || text.length <= length ? text : `${text.slice(0, length - 1)}…`
const str = (value: unknown, length = MAX_FIELD_LENGTH) => cutTo(length)(read(Schema.String, value))
const at = (value: unknown) =>
  typeof value === "string" && value.length <= MAX_FIELD_LENGTH ? read(Schema.Date, value) : undefined
const obj = (value: unknown): Record<string, unknown> =>
  read(Schema.Record({ key: Schema.String, value: Schema.Unknown }), value) ?? {}

const reference = (payload: Record<string, unknown>): WebhookEvent => {
  if (payload.event === "newMessage") {
    const message = obj(payload.message)
    const sender = obj(message.sender)
    const conversation = obj(payload.conversation)
    const authUser = read(Schema.Boolean, sender.authUser)
    return {
      _tag: "NewMessage",
      direction: authUser === undefined ? "unknown" : authUser ? "outbound" : "inbound",
      conversationId: str(message.conversation_id) ?? str(conversation.id),
      content: str(message.content, MAX_CONTENT_LENGTH),
      contentType: str(message.contentType),
      imageUrl: str(message.imageUrl, MAX_URL_LENGTH),
      videoUrl: str(message.videoUrl, MAX_URL_LENGTH),
      documentUrl: str(message.documentUrl, MAX_URL_LENGTH),
      audioUrl: str(message.audioUrl, MAX_URL_LENGTH),
      senderName: str(sender.name),
      externalId: str(message.externalId),
      quotedMessageId: str(message.quoted_message_id),
      occurredAt: at(conversation.lastMessageAt) ?? at(sender.lastActivity),
      receivedAt: RECEIVED,
      payload
    }
  }
  if (payload.event === "smsDeliveryReport") {
    const report = obj(payload.conversation)
    const units =
      read(Schema.Finite, report.units) ??
      (typeof report.units === "string" && report.units.trim() !== ""
        ? read(Schema.NumberFromString.pipe(Schema.finite()), report.units)
        : undefined)
    return {
      _tag: "SmsDeliveryReport",
      id: str(report.id),
      externalId: str(report.externalId),
      status: str(report.status),
      reason: str(report.reason, MAX_REASON_LENGTH),
      from: str(report.from),
      to: str(report.to),
      units,
      deliveredAt: at(report.delivered_time),
      createdAt: at(report.createdAt),
      receivedAt: RECEIVED,
      payload
    }
  }
  return { _tag: "UnknownEvent", event: str(payload.event), receivedAt: RECEIVED, payload }
}

describe("decodeWebhookEvent", () => {
  it("reads the documented newMessage and smsDeliveryReport", () => {
    const payload = documentedNewMessage()
    expect(decodeWebhookEvent(payload, RECEIVED)).toEqual({
      _tag: "NewMessage",
      direction: "inbound",
      conversationId: "conv-123",
      content: "Hello, is my order on its way?",
      contentType: "TEXT",
      imageUrl: undefined,
      videoUrl: undefined,
      documentUrl: undefined,
      audioUrl: undefined,
      senderName: "Ada Customer",
      externalId: "wamid.HBgNMjM0ODAxMjM0NTY3OA",
      quotedMessageId: undefined,
      occurredAt: new Date("2026-12-06T10:00:01.000Z"),
      receivedAt: RECEIVED,
      payload
    })
    expect(decodeWebhookEvent(documentedReport, RECEIVED)).toMatchObject({
      _tag: "SmsDeliveryReport",
      id: "sms-1",
      status: "DELIVERED",
      units: 1,
      deliveredAt: new Date("2026-12-06T10:00:03.000Z")
    })
  })

  it("reads direction from authUser: false inbound, true outbound, anything else unknown", () => {
    const withAuthUser = (authUser: unknown) => {
      const payload = documentedNewMessage()
      return decodeWebhookEvent({ ...payload, message: { ...payload.message, sender: { authUser } } }, RECEIVED)
    }
    expect(withAuthUser(false)).toMatchObject({ direction: "inbound" })
    expect(withAuthUser(true)).toMatchObject({ direction: "outbound" })
    for (const odd of ["false", 0, null, undefined]) expect(withAuthUser(odd)).toMatchObject({ direction: "unknown" })
  })

  it("falls back to sender.lastActivity, then to no time", () => {
    const payload = documentedNewMessage({ lastMessageAt: "yesterday-ish" })
    expect(decodeWebhookEvent(payload, RECEIVED)).toMatchObject({ occurredAt: new Date("2026-12-06T10:00:00.000Z") })
    const none = { event: "newMessage", message: { sender: { lastActivity: 12 } } }
    expect(decodeWebhookEvent(none, RECEIVED)).toMatchObject({ occurredAt: undefined, conversationId: undefined })
  })

  it("keeps campaign completion (an undocumented shape) whole as an UnknownEvent", () => {
    const payload = { event: "campaignCompleted", campaign: { id: "c-1", stats: { sent: 3 } } }
    expect(decodeWebhookEvent(payload, RECEIVED)).toEqual({
      _tag: "UnknownEvent",
      event: "campaignCompleted",
      receivedAt: RECEIVED,
      payload
    })
  })

  it("agrees with the schema reference on generated payloads, and never throws", () => {
    fc.assert(
      fc.property(payloads, (payload) => {
        expect(decodeWebhookEvent(payload, RECEIVED)).toEqual(reference(payload))
      }),
      { numRuns: 3000 }
    )
  })

  it("keeps every string within its limit and every date valid", () => {
    fc.assert(
      fc.property(payloads, (payload) => {
        const event = decodeWebhookEvent(payload, RECEIVED)
        for (const [name, value] of Object.entries(event)) {
          if (name === "payload") continue
          if (typeof value === "string") expect(value.length).toBeLessThanOrEqual(MAX_CONTENT_LENGTH)
          if (typeof value === "string" && !["content", "reason"].includes(name) && !name.endsWith("Url")) {
            expect(value.length, name).toBeLessThanOrEqual(MAX_FIELD_LENGTH)
          }
          if (value instanceof Date) expect(Number.isNaN(value.getTime())).toBe(false)
        }
        expect(event.payload).toBe(payload)
      }),
      { numRuns: 2000 }
    )
  })
})
