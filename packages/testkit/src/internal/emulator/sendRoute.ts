import { MAX_BODY_BYTES, MAX_MESSAGE_LENGTH, NUMBER_PATTERN, SEND_PATH } from "./constants.js"
import { fail, json, readSendRequest } from "./http.js"
import { externalId } from "./ids.js"
import type { EmulatorCore } from "./state.js"

const FIELDS = ["from", "to", "message"] as const

/** Normal handling of the send endpoint (no faults): validation in the documented order, then 200. */
export const handleSend = async (core: EmulatorCore, request: Request): Promise<Response> => {
  const body = await readSendRequest(request, { path: SEND_PATH, apiKey: core.apiKey, limit: MAX_BODY_BYTES })
  if (body instanceof Response) return body
  const values: Record<(typeof FIELDS)[number], string> = { from: "", to: "", message: "" }
  for (const field of FIELDS) {
    if (!Object.hasOwn(body, field)) return fail(400, `Missing required field "${field}"`)
    const value = body[field]
    if (typeof value !== "string") return fail(400, `Field "${field}" must be a string`)
    values[field] = value
  }
  const { from, to, message } = values
  for (const field of ["from", "to"] as const) {
    if (!NUMBER_PATTERN.test(values[field])) return fail(400, `Invalid WhatsApp number in ${field}`)
  }
  if (message.trim().length === 0) return fail(400, 'Field "message" must not be blank')
  if (message.length > MAX_MESSAGE_LENGTH) {
    return fail(
      400,
      `Field "message" must be at most ${MAX_MESSAGE_LENGTH} characters (UTF-16 code units), got ${message.length}`
    )
  }
  const channel = core.channel(from)
  if (channel === undefined) return fail(403, `WhatsApp number ${from} is not connected to a channel`)
  const now = core.clock.now()
  if (!core.windowOpen(from, to, now)) {
    return fail(
      422,
      `The 24-hour customer service window is closed: customer ${to} has not sent a WhatsApp message to ${from} ` +
        "in the last 24 hours. Session messages can only be sent within 24 hours of the customer's last message."
    )
  }
  const id = crypto.randomUUID()
  const iso = now.toISOString()
  const response = json(200, {
    data: {
      id,
      content: message,
      contentType: "TEXT",
      sender: { name: channel.name, authUser: true, lastActivity: iso },
      externalId: externalId(),
      conversation_id: core.conversationId(from, to),
      updatedAt: iso,
      createdAt: iso,
      subject: null,
      imageUrl: null,
      videoUrl: null,
      documentUrl: null,
      audioUrl: null,
      quoted_message_id: null
    },
    message: "Message sent to customer",
    success: true
  })
  core.record({ id, from, to, message, at: now })
  return response
}
