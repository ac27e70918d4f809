import {
  type ConversationPair,
  type WindowStore,
  WindowStoreError,
  type WindowTracker,
  type WindowTrackerOptions
} from "../../ConversationWindows.js"
import { InvalidOptionsError } from "../../Errors.js"
import { conversationIdOf, eventOf, eventTimeOf, pairKey } from "./events.js"
import { makeMemoryWindowStore } from "./memoryStore.js"
import { statusOf, UNKNOWN } from "./status.js"

const MINUTE = 60 * 1000
const DAY = 24 * 60 * MINUTE
/** Far above WhatsApp's 24 hours, far below what a timer or a Date can hold. */
const MAX_WINDOW_LENGTH = 30 * DAY

const millisOption = (
  option: string,
  value: unknown,
  fallback: number,
  valid: (millis: number) => boolean,
  problem: string
) => {
  if (value === undefined) return fallback
  if (typeof value !== "number" || !Number.isFinite(value) || !valid(value))
    throw new InvalidOptionsError({ option, problem })
  return value
}

/** A store's failure as the tracker reports it; the store's own `WindowStoreError` as it is. */
const storeFailure = (cause: unknown): WindowStoreError =>
  cause instanceof WindowStoreError ? cause : new WindowStoreError({ reason: "unavailable", cause })

export const createWindowTracker = (options: WindowTrackerOptions = {}): WindowTracker => {
  const now = options.now ?? Date.now
  const windowLength = millisOption(
    "windowLength",
    options.windowLength,
    DAY,
    (millis) => millis > 0 && millis <= MAX_WINDOW_LENGTH,
    "must be a positive number of milliseconds, at most 30 days"
  )
  const safetyMargin = millisOption(
    "safetyMargin",
    options.safetyMargin,
    Math.min(5 * MINUTE, windowLength / 2),
    (millis) => millis >= 0 && millis < windowLength,
    "must be a number of milliseconds from 0 to less than windowLength"
  )
  const store: WindowStore = options.store ?? makeMemoryWindowStore({ now })
  // One window to be open, one more to say `closed` (rather than `unknown`) after it.
  const retention = 2 * windowLength

  /**
   * Runs one store write for an event at `at`, kept for the retention after it. An event older
   * than that cannot change any answer, so nothing is written.
   */
  const write = async (at: number, receivedAt: number, run: (retainMs: number) => Promise<unknown>): Promise<void> => {
    const retainMs = at + retention - receivedAt
    if (retainMs <= 0) return
    try {
      await run(retainMs)
    } catch (cause) {
      throw storeFailure(cause)
    }
  }

  return {
    recordInbound: async (input) => {
      const receivedAt = now()
      const event = eventOf(input)
      const at = eventTimeOf(event.at, receivedAt)
      if (event.from === undefined && event.to === undefined) {
        const conversationId = conversationIdOf(event.conversationId)
        return write(at, receivedAt, (retainMs) => store.recordConversationInbound(conversationId, at, retainMs))
      }
      const pair = pairKey(event as ConversationPair)
      const link = event.conversationId === undefined ? {} : { conversationId: conversationIdOf(event.conversationId) }
      return write(at, receivedAt, (retainMs) => store.record(pair, { inboundAt: at, retainMs, ...link }))
    },
    recordSend: async (input) => {
      const receivedAt = now()
      const event = eventOf(input)
      const pair = pairKey(event)
      const conversationId = conversationIdOf(event.conversationId)
      const at = event.at === undefined ? receivedAt : eventTimeOf(event.at, receivedAt)
      return write(at, receivedAt, (retainMs) => store.record(pair, { sentAt: at, conversationId, retainMs }))
    },
    recordClosed: async (input) => {
      const receivedAt = now()
      const event = eventOf(input)
      const pair = pairKey(event)
      const at = event.at === undefined ? receivedAt : eventTimeOf(event.at, receivedAt)
      return write(at, receivedAt, (retainMs) => store.record(pair, { closedAt: at, retainMs }))
    },
    status: async (input) => {
      const pair = pairKey(eventOf(input))
      const record = await store.read(pair).then(
        (found) => ({ found }),
        () => undefined
      )
      return record === undefined ? UNKNOWN : statusOf(record.found, now(), windowLength, safetyMargin)
    }
  }
}
