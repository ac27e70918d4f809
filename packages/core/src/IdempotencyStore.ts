/**
 * The relay's memory of `Idempotency-Key`s, as a service: a repeat of a send (a browser's retry,
 * or its silent resend after a connection reset) gets the first send's answer instead of a second
 * WhatsApp message. The default keeps it in the relay's process (`makeMemory`); relays that run
 * as several instances share one store (`@oneroute/redis`).
 *
 * The contract a store keeps: a key reserved within the TTL is never reserved again, so a repeat
 * never causes a second send. A store that is full or unreachable refuses (the relay then answers
 * 503 and sends nothing) instead of forgetting a key.
 *
 * @since 0.1.0
 * @module
 */

import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as internal from "./internal/relay/memoryStore.js"
import { TaggedError } from "./internal/taggedError.js"

/**
 * A finished relay answer, kept as data (a `Response` body can be read only once).
 *
 * @since 0.1.0
 */
export interface StoredAnswer {
  /** The HTTP status the relay answered with. */
  readonly status: number
  /** The answer's headers, by lower-case name. */
  readonly headers: Readonly<Record<string, string>>
  /** The answer's body text (OneRoute's envelope, as the relay sent it). */
  readonly body: string
}

/**
 * What `reserve` found for a key.
 * - `Reserved`: the key is new and now belongs to this send; finish with `complete` or `release`.
 * - `InFlight`: the same request is being sent (here or by another instance); ask again later.
 * - `Answered`: the same request was answered; give that answer again.
 * - `Conflict`: the key was used for a different body.
 * - `Full`: the store keeps no more keys until `retryAfter` has passed.
 *
 * @since 0.1.0
 */
export type Reservation =
  | { readonly _tag: "Reserved"; readonly token: string }
  | { readonly _tag: "InFlight" }
  | { readonly _tag: "Answered"; readonly answer: StoredAnswer }
  | { readonly _tag: "Conflict" }
  | { readonly _tag: "Full"; readonly retryAfter: Duration.Duration }

/**
 * The store could not be read or written (for example Redis is unreachable). The relay refuses
 * the send rather than risk a second one.
 *
 * @since 0.1.0
 */
export class IdempotencyStoreError extends TaggedError("IdempotencyStoreError")<{
  /** The store operation that failed. */
  readonly operation: "reserve" | "complete" | "release"
  /** What the store's backend threw or failed with (a Redis error, a timeout). */
  readonly cause: unknown
}> {
  /** Which operation failed and why; the relay answers 503 and sends nothing. */
  override get message(): string {
    return `The relay's idempotency store failed to ${this.operation}: ${String(this.cause)}`
  }
}

/**
 * A shared memory of idempotency keys. `fingerprint` is a digest of the request body, so a key
 * reused for another message is a `Conflict`; `token` proves that the caller holds the
 * reservation it completes or releases.
 *
 * @since 0.1.0
 */
export interface IdempotencyStore {
  /** Atomically reserves `key`, or says what it holds. */
  readonly reserve: (key: string, fingerprint: string) => Effect.Effect<Reservation, IdempotencyStoreError>
  /** Replaces the reservation with the answer, kept for the store's TTL. */
  readonly complete: (key: string, token: string, answer: StoredAnswer) => Effect.Effect<void, IdempotencyStoreError>
  /** Forgets the reservation: the send certainly sent nothing, so a repeat may try again. */
  readonly release: (key: string, token: string) => Effect.Effect<void, IdempotencyStoreError>
}

/**
 * Options of the in-memory store.
 *
 * @since 0.1.0
 */
export interface MemoryStoreOptions {
  /** How long an answer (and a reservation) is kept. Default 10 minutes. */
  readonly ttl?: Duration.DurationInput
  /**
   * Upper bound of the memory the store holds, in bytes (keys, digests and answers). Default
   * 128 MiB, about 80,000 answered keys. When it is reached, new keys are refused (`Full`) until
   * entries expire; no entry is ever dropped early.
   */
  readonly maxBytes?: number
  /** The clock, for tests. Default `Date.now`. */
  readonly now?: () => number
}

/**
 * The in-process store, the relay's default. Reservations are kept until they are completed
 * or released (however long the send takes), answers for the TTL.
 *
 * @since 0.1.0
 */
export const makeMemory: (options?: MemoryStoreOptions) => IdempotencyStore = internal.makeMemory
