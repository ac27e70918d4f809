import { type NewMessage, type WebhookHandler, type WindowTracker, webhookHandler } from "@oneroute/node"
import { normalisedPair, type WebhookSource } from "../environment.js"
import type { Inbox } from "./inbox.js"

/**
 * Largest webhook body read. OneRoute's `newMessage` envelope is under 1 KiB; a WhatsApp text of
 * 4,096 characters is up to 16 KiB of UTF-8, and escaped in JSON a little more.
 */
export const MAX_WEBHOOK_BODY_BYTES = 32 * 1024

/**
 * The customer's and the business's numbers, from the emulator's own `emulator` field: OneRoute's
 * documented payload has no numbers, only the conversation id (a send from here links it).
 */
const emulatorNumbers = (payload: NewMessage["payload"]) => {
  const field = payload.emulator as { customer?: unknown; business?: unknown } | undefined
  if (typeof field?.customer !== "string" || typeof field.business !== "string") return undefined
  return normalisedPair(field.customer, field.business)
}

/**
 * The console's webhook receiver: `webhookHandler` checks the signature, the size and repeats; each
 * customer message is recorded in the window tracker and shown in the inbox.
 *
 * The tracker is fed here, not through `webhookHandler({ windows })`, because the handler clamps an
 * event's time to this machine's clock while the console's windows run on the emulator's, which a
 * demo (or a test) moves a day ahead.
 */
export const makeWebhookReceiver = (options: {
  readonly source: WebhookSource
  readonly business: string
  readonly windows: Pick<WindowTracker, "recordInbound">
  readonly inbox: Inbox
  readonly now: () => number
}): WebhookHandler => {
  const { source, business, windows, inbox, now } = options
  const onEvent = async (event: NewMessage) => {
    const numbers = emulatorNumbers(event.payload)
    const customer = numbers?.business === business ? numbers.customer : undefined
    const { conversationId, occurredAt } = event
    // Neither a conversation nor a number: nothing to show it under.
    if (conversationId === undefined && customer === undefined) return
    const at = Math.min(occurredAt?.getTime() ?? now(), now())
    // Without the event's own time a replayed delivery would look new: the window is left as it is.
    if (occurredAt !== undefined) {
      const where = customer === undefined ? {} : { from: business, to: customer }
      // A failing tracker leaves the window unknown; the message is still shown.
      await windows
        .recordInbound({ ...where, ...(conversationId === undefined ? {} : { conversationId }), at })
        .catch((error: unknown) => console.error("oneroute-demo: the window tracker failed", error))
    }
    await inbox.addMessage(
      { conversationId, customer, name: event.senderName },
      {
        id: event.externalId ?? `webhook-${crypto.randomUUID()}`,
        direction: "inbound",
        text: event.content ?? `(${event.contentType ?? "a message"} without text)`,
        template: false,
        at
      }
    )
  }
  return webhookHandler({
    secret: source.secret,
    maxBodyBytes: MAX_WEBHOOK_BODY_BYTES,
    onEvent: (event) => (event._tag === "NewMessage" && event.direction === "inbound" ? onEvent(event) : undefined)
  })
}
