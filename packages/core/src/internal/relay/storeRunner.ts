/**
 * Runs an `IdempotencyStore`'s Effects for the relay. Its own module, imported on a relay's first
 * keyed request: the store contract is Effect's, and the Effect runtime (about 80 ms to import)
 * is not for every program that merely imports the SDK.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { IdempotencyStore, Reservation, StoredAnswer } from "../../IdempotencyStore.js"
import { makeMemory } from "./memoryStore.js"

/** The relay's default store: this process's memory. */
export const memoryStore = (): IdempotencyStore => makeMemory()

/** What the store holds for `key`, or `undefined` when it could not be asked (unreachable, failing). */
export const reserve = async (
  store: IdempotencyStore,
  key: string,
  digest: string
): Promise<Reservation | undefined> => {
  const reservation = await Effect.runPromise(Effect.either(store.reserve(key, digest))).catch(() => undefined)
  return reservation === undefined ? undefined : Either.getOrUndefined(reservation)
}

/** Completes (the answer may follow a send) or releases (nothing was sent) a reservation; a failed write leaves it reserved. */
export const finish = (
  store: IdempotencyStore,
  key: string,
  token: string,
  outcome: { readonly answer: StoredAnswer; readonly sentNothing: boolean }
): Promise<void> =>
  Effect.runPromise(
    Effect.ignore(outcome.sentNothing ? store.release(key, token) : store.complete(key, token, outcome.answer))
  ).catch(() => undefined)
