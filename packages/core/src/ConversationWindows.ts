/**
 * The 24-hour customer service window, known before a send. A session message goes through only
 * while the customer wrote to the business number within the last 24 hours; the tracker
 * remembers the latest such message (fed by signed webhooks, by session sends and by
 * `window-closed` rejections) and answers `status({ from, to })`: `open` with `expiresAt`,
 * `closed`, or `unknown`. It never says `open` without a recorded inbound message to prove it:
 * a failing or full store, an unlinked conversation or a contradiction all say `unknown`.
 *
 * ```ts
 * import { createWindowTracker } from "@oneroute/core"
 *
 * const windows = createWindowTracker()
 * await windows.recordInbound({ from: "2348000000001", to: "2348012345678", at: new Date() })
 * const window = await windows.status({ from: "2348000000001", to: "2348012345678" })
 * if (window.state === "open") console.log(`a session message is possible until ${window.expiresAt.toISOString()}`)
 * ```
 *
 * Plain JavaScript (no Effect runtime); the Effect service over it is `ConversationWindows` in
 * `@oneroute/core/effect`.
 *
 * @since 0.4.0
 */
import { TaggedError } from "./internal/taggedError.js"
import * as memoryStore from "./internal/windows/memoryStore.js"
import * as tracker from "./internal/windows/tracker.js"
import type { SessionMessage } from "./Schemas.js"
import type { TemplateMessageRequest } from "./TemplateMessage.js"
import type { TemplateOutcome } from "./TemplateResult.js"

/**
 * A time: a `Date` or milliseconds since the epoch.
 *
 * @since 0.4.0
 */
export type EventTime = Date | number

/**
 * A business number and a customer, as in a send: `from` is the business number, `to` the
 * customer. Written as a send accepts them (`+234 801 234 5678` is `2348012345678`).
 *
 * @since 0.4.0
 */
export interface ConversationPair {
  /** The business number (connected to a OneRoute channel). */
  readonly from: string
  /** The customer's WhatsApp number. */
  readonly to: string
}

/**
 * The customer wrote to the business. `at` is when the message was written (the event's own
 * time); a time after the moment it is recorded counts as that moment.
 *
 * A webhook's `newMessage` names only its `conversationId` (OneRoute sends no phone numbers):
 * such an inbound counts for the numbers a session send linked to that conversation. Before any
 * send linked it, it is kept (at most one per conversation, for one window) and applied when
 * `recordSend` links the conversation; until then `status` says `unknown` for those numbers.
 *
 * @since 0.4.0
 */
export interface InboundEvent {
  /** The business number the customer wrote to; give it with `to`, or give `conversationId`. */
  readonly from?: string
  /** The customer who wrote; give it with `from`, or give `conversationId`. */
  readonly to?: string
  /** OneRoute's conversation id (`message.conversation_id` of the webhook). */
  readonly conversationId?: string
  /** When the customer's message was written. */
  readonly at: EventTime
}

/**
 * A session message was sent (OneRoute answered 200): the window was open at `at`, and the
 * answer's `conversationId` belongs to these numbers.
 *
 * @since 0.4.0
 */
export interface SendEvent extends ConversationPair {
  /** The answer's `conversationId`. */
  readonly conversationId: string
  /** When the message was sent. Default: the moment it is recorded. */
  readonly at?: EventTime
}

/**
 * OneRoute refused a session message with `RejectedError` `reason: "window-closed"`: the window
 * is closed until an inbound message newer than `at` is recorded.
 *
 * @since 0.4.0
 */
export interface ClosedEvent extends ConversationPair {
  /** When the refusal came. Default: the moment it is recorded. */
  readonly at?: EventTime
}

/**
 * What the tracker knows about a window.
 * - `open`: a session message is possible until `expiresAt` (the last inbound message plus the
 *   window length, minus the safety margin).
 * - `closed`: send a template. `lastInboundAt` is the last inbound message known, if any.
 * - `unknown`: nothing recorded, an inbound known only by an unlinked conversation, a contradiction,
 *   or the store could not be read. A session message may work or be refused as `window-closed`.
 *
 * @since 0.4.0
 */
export type WindowStatus =
  | { readonly state: "open"; readonly expiresAt: Date; readonly lastInboundAt: Date }
  | { readonly state: "closed"; readonly lastInboundAt?: Date }
  | { readonly state: "unknown" }

/**
 * The window tracker ({@link createWindowTracker}). Every `record…` rejects with
 * {@link WindowInputError} for input it cannot use (nothing recorded) and {@link WindowStoreError}
 * when the store refused or failed; `status` rejects only for unusable numbers.
 *
 * @since 0.4.0
 */
export interface WindowTracker {
  /** Records a message from the customer (from a webhook: `{ conversationId, at }`). */
  readonly recordInbound: (event: InboundEvent) => Promise<void>
  /** Records a session message that OneRoute accepted, linking its conversation to the numbers. */
  readonly recordSend: (event: SendEvent) => Promise<void>
  /** Records a `window-closed` refusal. */
  readonly recordClosed: (event: ClosedEvent) => Promise<void>
  /** What is known about the window now; `unknown` when the store fails. */
  readonly status: (pair: ConversationPair) => Promise<WindowStatus>
}

/**
 * What `sendSessionOrTemplate` takes: a session message's fields, and the template to send
 * instead when the window is closed.
 *
 * @since 0.4.0
 */
export interface SessionOrTemplateRequest {
  /** The business number, as in a send. */
  readonly from: string
  /** The customer's number, as in a send. */
  readonly to: string
  /** The session message's text. */
  readonly message: string
  /** The approved template sent when the window is closed (`{ name, parameters, buttons? }`). */
  readonly template: TemplateMessageRequest.Encoded["messages"][number]["template"]
}

/**
 * What `sendSessionOrTemplate` sent: the session message, or the template's outcome for the
 * customer (`"sent"`, `"failed"` or `"unknown"`, as `sendTemplateMessage` reports it). Never both.
 *
 * @since 0.4.0
 */
export type SessionOrTemplateResult =
  | { readonly via: "session"; readonly message: SessionMessage }
  | { readonly via: "template"; readonly outcome: TemplateOutcome }

/**
 * Options of {@link createWindowTracker}. Durations are milliseconds.
 *
 * @since 0.4.0
 */
export interface WindowTrackerOptions {
  /** Where windows are kept. Default: this process's memory ({@link makeMemoryWindowStore}); several instances share `@oneroute/redis`'s `makeRedisWindowStore`. */
  readonly store?: WindowStore
  /** How long a window lasts after the customer's last message. Default 24 hours (WhatsApp's rule). */
  readonly windowLength?: number
  /**
   * How much earlier than the end of the window `status` says `closed`, for clock differences and
   * the time a send takes. Default 5 minutes (half of `windowLength` when that is under 10
   * minutes); at least 0 and less than `windowLength`.
   */
  readonly safetyMargin?: number
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number
}

/**
 * What a store keeps for one pair of numbers: the latest time of each kind of event, in
 * milliseconds since the epoch.
 *
 * @since 0.4.0
 */
export interface WindowRecord {
  /** The latest inbound message. */
  readonly inboundAt?: number
  /** The latest `window-closed` refusal. */
  readonly closedAt?: number
  /** The latest session message OneRoute accepted. */
  readonly sentAt?: number
}

/**
 * A change to a pair's record: each time given replaces the stored one only when it is later.
 *
 * @since 0.4.0
 */
export interface WindowUpdate extends WindowRecord {
  /** Links this conversation to the pair, and moves its kept inbound message (if any) into the pair. */
  readonly conversationId?: string
  /** Keep the record (and the link) at least this long from now, in milliseconds. */
  readonly retainMs: number
}

/**
 * Where the tracker keeps windows. `pair` is one key for a pair of numbers, made by the tracker
 * (normalised digits). The contract: every update is atomic and keeps the latest time of each
 * field (so duplicates and reordering change nothing); a store that cannot keep an update
 * (full, unreachable) rejects with {@link WindowStoreError} and never drops an older entry to
 * make room. Entries may go once their `retainMs` has passed.
 *
 * @since 0.4.0
 */
export interface WindowStore {
  /** Merges `update` into the pair's record (keeping the latest time of each field), atomically. */
  readonly record: (pair: string, update: WindowUpdate) => Promise<void>
  /**
   * An inbound message known only by its conversation: merged into the linked pair's record
   * (`"applied"`), or kept for the conversation until a `record` links it (`"pending"`; the
   * latest one only). Atomic with the linking: an inbound is never lost between the two.
   */
  readonly recordConversationInbound: (
    conversationId: string,
    at: number,
    retainMs: number
  ) => Promise<"applied" | "pending">
  /** The pair's record, or `undefined` when there is none. */
  readonly read: (pair: string) => Promise<WindowRecord | undefined>
}

/**
 * Options of {@link makeMemoryWindowStore}.
 *
 * @since 0.4.0
 */
export interface MemoryWindowStoreOptions {
  /**
   * The most entries kept (one per pair of numbers and one per conversation). Default 100,000.
   * When it is reached, new entries are refused ({@link WindowStoreError} `reason: "full"`, so
   * `status` says `unknown` for them) until old ones expire; no entry is dropped early.
   */
  readonly maxEntries?: number
  /** The clock, in milliseconds since the epoch: give it the tracker's. Default `Date.now`. */
  readonly now?: () => number
}

/**
 * An input the tracker cannot use: a number that is not a WhatsApp number, a missing or oversized
 * conversation id, a time that is not a valid date. Nothing was recorded.
 *
 * @since 0.4.0
 */
export class WindowInputError extends TaggedError("WindowInputError")<{
  /** The field: `"from"`, `"to"`, `"conversationId"` or `"at"`. */
  readonly field: string
  /** What is wrong with it (the value itself is not repeated). */
  readonly problem: string
}> {
  /** Names the field and what is wrong with it, without repeating its value. */
  override get message(): string {
    return `Conversation window: ${this.field} ${this.problem}. Nothing was recorded; fix the input.`
  }
}

/**
 * The window store refused (`"full"`) or failed (`"unavailable"`) to record an event. `status`
 * keeps saying `unknown` (never `open`) for what it could not record.
 *
 * @since 0.4.0
 */
export class WindowStoreError extends TaggedError("WindowStoreError")<{
  /** `"full"`: the store is at its limit; `"unavailable"`: it failed or did not answer. */
  readonly reason: "full" | "unavailable"
  /** What the store reported, when it failed. */
  readonly cause?: unknown
}> {
  /** Says what was not recorded, that `status` stays unknown, and what to change. */
  override get message(): string {
    return this.reason === "full"
      ? "The conversation window store is full, so this event was not recorded (status stays unknown for it): raise maxEntries or use a shared store such as Redis."
      : `The conversation window store failed, so this event was not recorded (status says unknown while it fails): ${String(this.cause)}`
  }
}

/**
 * Makes a window tracker. Throws `InvalidOptionsError` for a `windowLength` that is not a
 * positive number of milliseconds (at most 30 days), or a `safetyMargin` below 0 or not below
 * `windowLength`.
 *
 * @since 0.4.0
 */
export const createWindowTracker: (options?: WindowTrackerOptions) => WindowTracker = tracker.createWindowTracker

/**
 * The in-process window store, the tracker's default: bounded, and it refuses rather than forgets
 * when full. Entries go once their retention has passed (the tracker keeps a pair two window
 * lengths after its last event: one for the window, one to say `closed` rather than `unknown`).
 *
 * @since 0.4.0
 */
export const makeMemoryWindowStore: (options?: MemoryWindowStoreOptions) => WindowStore =
  memoryStore.makeMemoryWindowStore
