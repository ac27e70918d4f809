import type { WindowStatus, WindowTracker } from "@oneroute/node"
import type { ConversationWire, MessageWire, WindowWire } from "./wire.js"

/** How much the inbox keeps for display (the window tracker keeps windows on its own terms). */
export const INBOX_LIMITS = {
  /** Conversations listed; past it the one quiet the longest leaves the list. */
  maxConversations: 100,
  /** Messages kept per conversation, the latest. */
  maxMessages: 20,
  /** Characters of a message shown; the rest is cut with "…". */
  maxTextLength: 500
} as const

interface Conversation {
  readonly key: string
  conversationId: string | undefined
  customer: string | undefined
  name: string | undefined
  window: WindowWire
  messages: Array<MessageWire>
  updatedAt: number
}

/** Where a message belongs: OneRoute's conversation id, the customer's number, or both. */
export interface ConversationRef {
  readonly conversationId?: string | undefined
  readonly customer?: string | undefined
  readonly name?: string | undefined
}

const cut = (text: string) =>
  text.length > INBOX_LIMITS.maxTextLength ? `${text.slice(0, INBOX_LIMITS.maxTextLength - 1)}…` : text

const windowWire = (status: WindowStatus): WindowWire => {
  switch (status.state) {
    case "open":
      return {
        state: "open",
        expiresAt: status.expiresAt.getTime(),
        lastInboundAt: status.lastInboundAt.getTime()
      }
    case "closed":
      return status.lastInboundAt === undefined
        ? { state: "closed" }
        : { state: "closed", lastInboundAt: status.lastInboundAt.getTime() }
    case "unknown":
      return { state: "unknown" }
  }
}

const wire = ({ key, customer, name, window, messages, updatedAt }: Conversation): ConversationWire => ({
  key,
  customer,
  name,
  window,
  messages: [...messages],
  updatedAt
})

/**
 * The support inbox: conversations by customer, each with its latest messages and its window as
 * the tracker tells it. `onChange` hears every conversation whose messages or window changed.
 */
export const makeInbox = (options: {
  readonly business: string
  readonly windows: Pick<WindowTracker, "status">
  readonly onChange: (conversation: ConversationWire) => void
}) => {
  const { business, windows, onChange } = options
  const conversations = new Map<string, Conversation>()

  const find = ({ conversationId, customer }: ConversationRef): Conversation | undefined => {
    for (const conversation of conversations.values()) {
      if (conversationId !== undefined && conversation.conversationId === conversationId) return conversation
    }
    for (const conversation of conversations.values()) {
      if (customer !== undefined && conversation.customer === customer) return conversation
    }
    return undefined
  }

  const evictQuietest = () => {
    let quietest: Conversation | undefined
    for (const conversation of conversations.values()) {
      if (quietest === undefined || conversation.updatedAt < quietest.updatedAt) quietest = conversation
    }
    if (quietest !== undefined) conversations.delete(quietest.key)
  }

  const findOrCreate = (ref: ConversationRef): Conversation => {
    const found = find(ref)
    if (found !== undefined) {
      found.conversationId ??= ref.conversationId
      found.customer ??= ref.customer
      if (ref.name !== undefined) found.name = ref.name
      return found
    }
    if (conversations.size >= INBOX_LIMITS.maxConversations) evictQuietest()
    const conversation: Conversation = {
      key: ref.conversationId ?? `tel:${ref.customer}`,
      conversationId: ref.conversationId,
      customer: ref.customer,
      name: ref.name,
      window: { state: "unknown" },
      messages: [],
      updatedAt: 0
    }
    conversations.set(conversation.key, conversation)
    return conversation
  }

  /** Asks the tracker again; whether the window changed. Without the customer's number it stays unknown. */
  const refreshWindow = async (conversation: Conversation): Promise<boolean> => {
    if (conversation.customer === undefined) return false
    const status = await windows
      .status({ from: business, to: conversation.customer })
      .catch((): WindowStatus => ({ state: "unknown" }))
    const next = windowWire(status)
    if (JSON.stringify(next) === JSON.stringify(conversation.window)) return false
    conversation.window = next
    return true
  }

  return {
    /** Adds a message (a repeat of the same id is ignored) and tells `onChange`. */
    addMessage: async (ref: ConversationRef, message: Omit<MessageWire, "text"> & { readonly text: string }) => {
      const conversation = findOrCreate(ref)
      if (!conversation.messages.some((known) => known.id === message.id)) {
        conversation.messages.push({ ...message, text: cut(message.text) })
        conversation.messages.sort((a, b) => a.at - b.at)
        conversation.messages.splice(0, conversation.messages.length - INBOX_LIMITS.maxMessages)
        conversation.updatedAt = Math.max(conversation.updatedAt, message.at)
      }
      await refreshWindow(conversation)
      onChange(wire(conversation))
    },
    /** Asks the tracker again about one customer (after a refusal), telling `onChange` if it changed. */
    refreshCustomer: async (customer: string) => {
      const conversation = find({ customer })
      if (conversation !== undefined && (await refreshWindow(conversation))) onChange(wire(conversation))
    },
    /** Asks the tracker again about every conversation (windows end as time passes). */
    refreshAll: async () => {
      for (const conversation of [...conversations.values()]) {
        if (await refreshWindow(conversation)) onChange(wire(conversation))
      }
    },
    /** Every conversation, the latest first. */
    list: (): Array<ConversationWire> => [...conversations.values()].sort((a, b) => b.updatedAt - a.updatedAt).map(wire)
  }
}

export type Inbox = ReturnType<typeof makeInbox>
