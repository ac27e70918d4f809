/** A pair's window, worked out from its record: pure, so every store answers alike. */
import type { WindowRecord, WindowStatus } from "../../ConversationWindows.js"

export const UNKNOWN: WindowStatus = { state: "unknown" }

/** The largest time a `Date` holds. */
const MAX_TIME = 8.64e15

const isTime = (value: unknown): boolean =>
  value === undefined || (typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= MAX_TIME)

/**
 * - A `window-closed` refusal not followed by a known inbound message: `closed`, unless a send
 *   succeeded after it (a message we have not seen reopened the window: `unknown`).
 * - Otherwise the last inbound message rules: `open` until it is `windowLength - safetyMargin`
 *   old, then `closed`; but a send that succeeded after the window ended proves a newer inbound
 *   message we have not seen: `unknown`.
 * - No inbound message known: `unknown`. A record with a field that is not a time: `unknown`.
 */
export const statusOf = (
  record: WindowRecord | undefined,
  now: number,
  windowLength: number,
  safetyMargin: number
): WindowStatus => {
  if (record === undefined) return UNKNOWN
  const { inboundAt, closedAt, sentAt } = record
  if (!isTime(inboundAt) || !isTime(closedAt) || !isTime(sentAt)) return UNKNOWN
  const lastInboundAt = inboundAt === undefined ? undefined : new Date(inboundAt)
  if (closedAt !== undefined && (inboundAt === undefined || closedAt >= inboundAt)) {
    if (sentAt !== undefined && sentAt > closedAt) return UNKNOWN
    return lastInboundAt === undefined ? { state: "closed" } : { state: "closed", lastInboundAt }
  }
  if (inboundAt === undefined || lastInboundAt === undefined) return UNKNOWN
  const expiresAt = inboundAt + windowLength - safetyMargin
  if (now < expiresAt) return { state: "open", expiresAt: new Date(expiresAt), lastInboundAt }
  if (sentAt !== undefined && sentAt > inboundAt + windowLength) return UNKNOWN
  return { state: "closed", lastInboundAt }
}
