/** A finished answer, kept as data: a `Response` body can be read only once. */
export interface StoredAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Whether a repeat of the same request may be sent again (the first certainly sent nothing). */
  readonly repeatable: boolean
}

interface Entry {
  readonly fingerprint: string
  readonly answer: Promise<StoredAnswer>
  readonly expiresAt: number
}

/** What `remember` decided for a request. */
export type Claim =
  | { readonly _tag: "New"; readonly settle: (answer: Promise<StoredAnswer>) => Promise<StoredAnswer> }
  | { readonly _tag: "Repeat"; readonly answer: Promise<StoredAnswer> }
  | { readonly _tag: "Conflict" }

/**
 * Answers keyed by `Idempotency-Key`: a repeat (the client's retry, or a browser silently
 * resending after a connection reset) gets the first request's answer instead of a second
 * WhatsApp message, even while the first is still in flight. Answers that certainly sent
 * nothing are forgotten once known, so a retry can try again.
 */
export const makeIdempotencyStore = (ttlMillis: number, maxEntries: number, now: () => number = Date.now) => {
  const entries = new Map<string, Entry>()

  const evict = () => {
    const time = now()
    for (const [key, entry] of entries) {
      // Map order is insertion order, so the oldest come first.
      if (entry.expiresAt > time && entries.size < maxEntries) break
      entries.delete(key)
    }
  }

  return {
    claim: (key: string, fingerprint: string): Claim => {
      evict()
      const existing = entries.get(key)
      if (existing !== undefined) {
        return existing.fingerprint === fingerprint ? { _tag: "Repeat", answer: existing.answer } : { _tag: "Conflict" }
      }
      return {
        _tag: "New",
        settle: (answer) => {
          const entry: Entry = { fingerprint, answer, expiresAt: now() + ttlMillis }
          entries.set(key, entry)
          return answer.then(
            (stored) => {
              if (stored.repeatable && entries.get(key) === entry) entries.delete(key)
              return stored
            },
            (error: unknown) => {
              entries.delete(key)
              throw error
            }
          )
        }
      }
    }
  }
}
