/**
 * Runs the delivery store's Effects for `webhookHandler`. Imported on the first verified
 * delivery, like the relay's runner: the store contract is Effect's, and programs that only
 * import the SDK do not load Effect's runtime.
 */
import * as Duration from "effect/Duration"
import type { IdempotencyStore } from "../../IdempotencyStore.js"
import { makeMemory } from "../relay/memoryStore.js"

export { finish, reserve } from "../relay/storeRunner.js"

/** Longer than a conversation window, so a delivery repeated within one is still recognised. */
export const DELIVERY_TTL = Duration.hours(25)

/** The default store's bound: about 60,000 deliveries (an entry costs about 550 bytes). */
export const DEFAULT_DELIVERIES_BYTES = 32 * 1024 * 1024

/** The handler's default store: this process's memory. */
export const memoryDeliveries = (): IdempotencyStore =>
  makeMemory({ ttl: DELIVERY_TTL, maxBytes: DEFAULT_DELIVERIES_BYTES })
