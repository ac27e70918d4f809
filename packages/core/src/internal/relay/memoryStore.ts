import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { IdempotencyStore, MemoryStoreOptions, Reservation, StoredAnswer } from "../../IdempotencyStore.js"

interface Entry {
  readonly fingerprint: string
  readonly token: string
  /** Absent while the send is in flight. */
  readonly answer: StoredAnswer | undefined
  /** When a completed entry may go; in-flight entries stay until completed or released. */
  readonly expiresAt: number
  readonly bytes: number
}

/** Room kept per reservation for the answer that will complete it (relay answers are a few KiB). */
const ANSWER_ALLOWANCE = 4 * 1024

/** What an entry costs in memory: UTF-16 strings plus the Map's and objects' own overhead. */
const sizeOf = (key: string, fingerprint: string, token: string, answer: StoredAnswer | undefined) =>
  2 * (key.length + fingerprint.length + token.length + (answer === undefined ? 0 : answer.body.length)) +
  (answer === undefined ? 0 : 2 * JSON.stringify(answer.headers).length) +
  256

export const makeMemory = (options: MemoryStoreOptions = {}): IdempotencyStore => {
  const ttl = Duration.toMillis(options.ttl ?? Duration.minutes(10))
  const maxBytes = options.maxBytes ?? 128 * 1024 * 1024
  const now = options.now ?? Date.now
  // Insertion order: completing an entry moves it to the end, so completed entries are in expiry order.
  const entries = new Map<string, Entry>()
  let usedBytes = 0
  let tokens = 0

  const remove = (key: string, entry: Entry) => {
    entries.delete(key)
    usedBytes -= entry.bytes
  }

  /** Drops expired answers; in-flight entries are never dropped. Returns when the oldest answer expires. */
  const sweep = (time: number): number | undefined => {
    for (const [key, entry] of entries) {
      if (entry.answer === undefined) continue
      if (entry.expiresAt > time) return entry.expiresAt
      remove(key, entry)
    }
    return undefined
  }

  const reserve = (key: string, fingerprint: string): Reservation => {
    const time = now()
    const nextExpiry = sweep(time)
    const existing = entries.get(key)
    if (existing !== undefined) {
      if (existing.fingerprint !== fingerprint) return { _tag: "Conflict" }
      return existing.answer === undefined ? { _tag: "InFlight" } : { _tag: "Answered", answer: existing.answer }
    }
    const token = String(++tokens)
    const bytes = sizeOf(key, fingerprint, token, undefined)
    if (usedBytes + bytes + ANSWER_ALLOWANCE > maxBytes) {
      return { _tag: "Full", retryAfter: Duration.millis(Math.max(1000, (nextExpiry ?? time + 1000) - time)) }
    }
    entries.set(key, { fingerprint, token, answer: undefined, expiresAt: Number.POSITIVE_INFINITY, bytes })
    usedBytes += bytes
    return { _tag: "Reserved", token }
  }

  /** The entry `token` reserved, if it is still there. */
  const owned = (key: string, token: string): Entry | undefined => {
    const entry = entries.get(key)
    return entry?.token === token ? entry : undefined
  }

  return {
    reserve: (key, fingerprint) => Effect.sync(() => reserve(key, fingerprint)),
    complete: (key, token, answer) =>
      Effect.sync(() => {
        const entry = owned(key, token)
        if (entry === undefined) return
        remove(key, entry)
        const bytes = sizeOf(key, entry.fingerprint, token, answer)
        entries.set(key, { ...entry, answer, expiresAt: now() + ttl, bytes })
        usedBytes += bytes
      }),
    release: (key, token) =>
      Effect.sync(() => {
        const entry = owned(key, token)
        if (entry !== undefined) remove(key, entry)
      })
  }
}
