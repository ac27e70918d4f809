import { MAX_BODY_BYTES, MAX_MESSAGE_LENGTH, NUMBER_PATTERN, SEND_PATH } from "./constants.js"
import { fail, isJsonContentType, json, parseJsonObject, readBody, TOO_LARGE } from "./http.js"
import { externalId } from "./ids.js"
import type { EmulatorCore } from "./state.js"

const FIELDS = ["from", "to", "message"] as const

/** Normal handling of the send endpoint (no faults): validation in the documented order, then 200. */
export const handleSend = async (core: EmulatorCore, request: Request): Promise<Response> => {
  if (request.method !== "POST") {
    return fail(405, `Method ${request.method} is not allowed on ${SEND_PATH}; use POST`, { allow: "POST, OPTIONS" })
  }
  if (request.headers.get("apikey") !== core.apiKey) return fail(401, "Invalid API Key")
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return fail(415, "Content-Type must be application/json")
  }
  const bytes = await readBody(request, MAX_BODY_BYTES)
  if (bytes === TOO_LARGE) return fail(413, `Request body must not exceed ${MAX_BODY_BYTES} bytes`)
  const parsed = parseJsonObject(bytes)
  if (!parsed.ok) return fail(400, "Request body must be a JSON object")
  const body = parsed.value
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
