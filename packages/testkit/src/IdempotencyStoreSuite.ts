/**
 * The contract every `IdempotencyStore` keeps (the in-memory default, `@oneroute/redis`, yours),
 * as runner-agnostic cases like the conformance suite: register each with your runner and call
 * `run` with a factory for a fresh, empty store.
 *
 * @since 0.1.0
 */
import type { IdempotencyStore } from "@oneroute/core/effect"
import * as Effect from "effect/Effect"

/**
 * One contract case.
 *
 * @since 0.1.0
 */
export interface IdempotencyStoreCase {
  /** What the case checks, for the test's name. */
  readonly name: string
  /** Runs the case on stores made by `makeStore`; rejects when the store breaks the contract. */
  readonly run: (makeStore: () => Promise<IdempotencyStore.IdempotencyStore>) => Promise<void>
}

const check = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(`IdempotencyStore contract: ${message}`)
}

const answer: IdempotencyStore.StoredAnswer = {
  status: 200,
  headers: { "content-type": "application/json" },
  body: '{"data":{}}'
}

const reserve = (store: IdempotencyStore.IdempotencyStore, key: string, fingerprint = "digest-1") =>
  Effect.runPromise(store.reserve(key, fingerprint))

const tokenOf = async (store: IdempotencyStore.IdempotencyStore, key: string): Promise<string> => {
  const reservation = await reserve(store, key)
  check(reservation._tag === "Reserved", `a new key is Reserved, got ${reservation._tag}`)
  return reservation._tag === "Reserved" ? reservation.token : ""
}

/**
 * The cases.
 *
 * @since 0.1.0
 */
export const idempotencyStoreCases: ReadonlyArray<IdempotencyStoreCase> = [
  {
    name: "a reserved key is in flight for its repeats, and answered once completed",
    run: async (makeStore) => {
      const store = await makeStore()
      const token = await tokenOf(store, "k1")
      check((await reserve(store, "k1"))._tag === "InFlight", "a repeat while in flight is InFlight")
      await Effect.runPromise(store.complete("k1", token, answer))
      const repeat = await reserve(store, "k1")
      check(repeat._tag === "Answered", `a repeat after complete is Answered, got ${repeat._tag}`)
      check(
        repeat._tag === "Answered" && JSON.stringify(repeat.answer) === JSON.stringify(answer),
        "the stored answer comes back unchanged"
      )
    }
  },
  {
    name: "a key reused for another body is a Conflict, in flight or answered",
    run: async (makeStore) => {
      const store = await makeStore()
      const token = await tokenOf(store, "k2")
      check((await reserve(store, "k2", "digest-2"))._tag === "Conflict", "in flight")
      await Effect.runPromise(store.complete("k2", token, answer))
      check((await reserve(store, "k2", "digest-2"))._tag === "Conflict", "answered")
    }
  },
  {
    name: "a released key can be reserved again",
    run: async (makeStore) => {
      const store = await makeStore()
      const token = await tokenOf(store, "k3")
      await Effect.runPromise(store.release("k3", token))
      await tokenOf(store, "k3")
    }
  },
  {
    name: "complete and release with another token change nothing",
    run: async (makeStore) => {
      const store = await makeStore()
      const token = await tokenOf(store, "k4")
      await Effect.runPromise(store.release("k4", `${token}-not-mine`))
      check((await reserve(store, "k4"))._tag === "InFlight", "a stranger's release leaves the reservation")
      await Effect.runPromise(store.complete("k4", `${token}-not-mine`, answer))
      check((await reserve(store, "k4"))._tag === "InFlight", "a stranger's complete leaves the reservation")
    }
  },
  {
    name: "of 50 concurrent reservations of one key exactly one is Reserved",
    run: async (makeStore) => {
      const store = await makeStore()
      const results = await Promise.all(Array.from({ length: 50 }, () => reserve(store, "k5")))
      const reserved = results.filter((result) => result._tag === "Reserved").length
      check(reserved === 1, `exactly one Reserved, got ${reserved}`)
      check(
        results.every((result) => result._tag === "Reserved" || result._tag === "InFlight"),
        "the others are InFlight"
      )
    }
  },
  {
    name: "keys are independent",
    run: async (makeStore) => {
      const store = await makeStore()
      await tokenOf(store, "a")
      await tokenOf(store, "b")
    }
  }
]
