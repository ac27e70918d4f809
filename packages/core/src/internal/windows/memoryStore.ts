import {
  type MemoryWindowStoreOptions,
  type WindowRecord,
  type WindowStore,
  WindowStoreError,
  type WindowUpdate
} from "../../ConversationWindows.js"
import { InvalidOptionsError } from "../../Errors.js"

interface PairEntry {
  readonly record: WindowRecord
  readonly expiresAt: number
}

interface ConversationEntry {
  /** The pair a send linked the conversation to; absent until then. */
  readonly pair?: string
  /** The latest inbound message while the conversation is not linked. */
  readonly pendingAt?: number
  readonly expiresAt: number
}

/** The later of two times, either of which may be absent. */
const later = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b)

/** `record` with `update`'s times merged in, each field keeping the later one. */
const merged = (record: WindowRecord | undefined, update: WindowRecord): WindowRecord => {
  const inboundAt = later(record?.inboundAt, update.inboundAt)
  const closedAt = later(record?.closedAt, update.closedAt)
  const sentAt = later(record?.sentAt, update.sentAt)
  return {
    ...(inboundAt === undefined ? {} : { inboundAt }),
    ...(closedAt === undefined ? {} : { closedAt }),
    ...(sentAt === undefined ? {} : { sentAt })
  }
}

export const makeMemoryWindowStore = (options: MemoryWindowStoreOptions = {}): WindowStore => {
  const maxEntries = options.maxEntries ?? 100_000
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new InvalidOptionsError({ option: "maxEntries", problem: "must be a positive whole number" })
  }
  const now = options.now ?? Date.now
  const pairs = new Map<string, PairEntry>()
  const conversations = new Map<string, ConversationEntry>()
  /** No entry expires before this (as of the last sweep): a full store sweeps again only then. */
  let nextSweep = Number.NEGATIVE_INFINITY

  /** The entry under `key`, dropped if it has expired. */
  const live = <E extends { readonly expiresAt: number }>(map: Map<string, E>, key: string, time: number) => {
    const entry = map.get(key)
    if (entry === undefined || entry.expiresAt > time) return entry
    map.delete(key)
    return undefined
  }

  const sweep = (time: number) => {
    let earliest = Number.POSITIVE_INFINITY
    for (const map of [pairs, conversations] as Array<Map<string, { readonly expiresAt: number }>>) {
      for (const [key, entry] of map) {
        if (entry.expiresAt <= time) map.delete(key)
        else earliest = Math.min(earliest, entry.expiresAt)
      }
    }
    nextSweep = earliest
  }

  /** Makes room for `count` new entries, or refuses: nothing kept is dropped early. */
  const admit = (count: number, time: number) => {
    if (count === 0 || pairs.size + conversations.size + count <= maxEntries) return
    if (time >= nextSweep) sweep(time)
    if (pairs.size + conversations.size + count > maxEntries) throw new WindowStoreError({ reason: "full" })
  }

  const record = (pair: string, update: WindowUpdate, time: number) => {
    const current = live(pairs, pair, time)
    const id = update.conversationId
    const conversation = id === undefined ? undefined : live(conversations, id, time)
    admit((current === undefined ? 1 : 0) + (id !== undefined && conversation === undefined ? 1 : 0), time)
    const expiresAt = time + update.retainMs
    const pending = conversation?.pair === undefined ? conversation?.pendingAt : undefined
    pairs.set(pair, {
      record: merged(merged(current?.record, update), pending === undefined ? {} : { inboundAt: pending }),
      // A kept inbound brings its own retention (the unlinked conversation's) into the pair.
      expiresAt: Math.max(
        current?.expiresAt ?? expiresAt,
        expiresAt,
        pending === undefined ? expiresAt : (conversation?.expiresAt ?? expiresAt)
      )
    })
    if (id !== undefined)
      conversations.set(id, { pair, expiresAt: Math.max(conversation?.expiresAt ?? expiresAt, expiresAt) })
  }

  return {
    record: async (pair, update) => record(pair, update, now()),
    recordConversationInbound: async (conversationId, at, retainMs) => {
      const time = now()
      const conversation = live(conversations, conversationId, time)
      if (conversation?.pair !== undefined) {
        record(conversation.pair, { inboundAt: at, retainMs }, time)
        return "applied"
      }
      admit(conversation === undefined ? 1 : 0, time)
      const expiresAt = time + retainMs
      conversations.set(conversationId, {
        pendingAt: later(conversation?.pendingAt, at) ?? at,
        expiresAt: Math.max(conversation?.expiresAt ?? expiresAt, expiresAt)
      })
      return "pending"
    },
    read: async (pair) => live(pairs, pair, now())?.record
  }
}
