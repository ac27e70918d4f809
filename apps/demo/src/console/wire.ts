/**
 * What the console's server tells its page over server-sent events (`GET /events`): JSON in each
 * event's `data`, dates as epoch milliseconds on the server's clock (the emulator's, which tests
 * move), so the page counts down on that clock, not its own.
 */
import type { TemplateInfo } from "../environment.js"

/** A conversation's 24-hour window, as the tracker knows it. */
export type WindowWire =
  | { readonly state: "open"; readonly expiresAt: number; readonly lastInboundAt: number }
  | { readonly state: "closed"; readonly lastInboundAt?: number }
  | { readonly state: "unknown" }

/** One message of a conversation. */
export interface MessageWire {
  /** OneRoute's id (a webhook's `externalId`, a send's id), unique within the conversation. */
  readonly id: string
  /** `"inbound"`: the customer wrote it; `"outbound"`: sent from here. */
  readonly direction: "inbound" | "outbound"
  /** The text, or for a template `order_update: Ada, #1042` (cut to a display length). */
  readonly text: string
  /** Whether it was a template message. */
  readonly template: boolean
  readonly at: number
}

/** A conversation with one customer. */
export interface ConversationWire {
  /** Stable key: OneRoute's conversation id, or `tel:<number>` before one is known. */
  readonly key: string
  /** The customer's number, when known (the emulator's webhook field, or a send from here). */
  readonly customer: string | undefined
  /** The name the customer's WhatsApp profile gives. */
  readonly name: string | undefined
  readonly window: WindowWire
  /** The latest messages, oldest first. */
  readonly messages: ReadonlyArray<MessageWire>
  /** When its last message came or went. */
  readonly updatedAt: number
}

/** `snapshot`: everything, sent first on every connection (and on every reconnection). */
export interface SnapshotWire {
  readonly now: number
  /** The business number the page sends from. */
  readonly business: string
  /** Whether "Simulate a customer message" works (the embedded emulator only). */
  readonly canSimulate: boolean
  /** Whether signed webhooks can arrive (a secret is set). */
  readonly receivesWebhooks: boolean
  readonly templates: ReadonlyArray<TemplateInfo>
  /** Newest first. */
  readonly conversations: ReadonlyArray<ConversationWire>
}

/** `conversation`: one conversation changed (a message, or its window). */
export interface ConversationEventWire {
  readonly now: number
  readonly conversation: ConversationWire
}

/** `clock`: the server's clock moved other than by ticking (the emulator's clock was set). */
export interface ClockWire {
  readonly now: number
}
