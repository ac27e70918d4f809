/**
 * An `IdempotencyStore` in Redis, for relays that run as several instances: a repeat of a send
 * that reaches another instance (a browser's retry, or its silent resend after a connection
 * reset) still gets the first send's answer instead of a second WhatsApp message.
 *
 * ```ts
 * import { Redis } from "ioredis"
 * import { relayHandler } from "@oneroute/node"
 * import { makeRedisStore } from "@oneroute/redis"
 *
 * const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
 * const idempotencyStore = makeRedisStore({ redis })
 * await idempotencyStore.ready() // rejects with RedisNotDurableError on a Redis that could forget keys
 * const relay = relayHandler({
 *   authorize: (request) => isSignedIn(request),
 *   allowedFrom: ["2348000000001"],
 *   publicUrl: "https://support.example.com/oneroute/send",
 *   idempotencyStore
 * })
 * ```
 *
 * @since 0.1.0
 */
import type { IdempotencyStore } from "@oneroute/core/effect"
import type * as Duration from "effect/Duration"
import type { Cluster, Redis } from "ioredis"
import * as internal from "./internal/redisStore.js"

/**
 * The commands the store uses; an ioredis `Redis` or `Cluster` has them.
 *
 * @since 0.1.0
 */
export type RedisClient = Pick<Redis | Cluster, "eval" | "evalsha" | "config" | "info">

/**
 * Options of {@link makeRedisStore}.
 *
 * @since 0.1.0
 */
export interface RedisStoreOptions {
  /**
   * Your ioredis client. You own it: the store configures nothing on it and never closes it, so
   * `quit()` it yourself after the relay's `close()`.
   *
   * ioredis by default queues commands while it is disconnected and reconnects forever; the
   * store still answers within `operationTimeout` (the relay then refuses with 503, nothing
   * sent), but a client made with `{ enableOfflineQueue: false, maxRetriesPerRequest: 1 }`
   * refuses at once when Redis is down and queues nothing that could run later.
   */
  readonly redis: RedisClient
  /**
   * How long an answer is kept, and the lease of an in-flight reservation. Default 10 minutes.
   *
   * A reservation whose answer could not be written (Redis failed right after the send) stays
   * in flight until the TTL has passed, so a repeat within the TTL never sends again; it waits
   * for the relay's `repeatWait` and is answered with a `RequestTimeoutError`. Keep the TTL well
   * above the longest send (the client's timeout times its attempts).
   */
  readonly ttl?: Duration.DurationInput
  /**
   * Prefix of every Redis key the store writes, its sentinel `<prefix>store sentinel` included.
   * Default `"oneroute:idempotency:"`. With a Cluster it must hold a hash tag (such as
   * `"{oneroute}:idempotency:"`), so that the keys and the sentinel live on one primary.
   */
  readonly keyPrefix?: string
  /**
   * The longest a store operation (`reserve`, `complete` or `release`) waits for Redis before it
   * fails with `IdempotencyStoreError`. Default 2 seconds.
   */
  readonly operationTimeout?: Duration.DurationInput
  /**
   * `"required"` (the default): before its first operation the store checks that Redis keeps
   * its keys (`appendonly yes` with `appendfsync everysec` or `always`, and `maxmemory-policy
   * noeviction` or no memory limit; `CONFIG GET`, or `INFO` where CONFIG is forbidden), and
   * refuses with {@link RedisNotDurableError} otherwise.
   *
   * `"best-effort"` skips that check: you accept that a restart of a Redis without persistence,
   * or an eviction, can forget keys. The store still notices a restart or a lost sentinel and
   * refuses new keys for one TTL, but it cannot notice single keys evicted or a failover to a
   * replica that had not received the last writes. For tests and development.
   */
  readonly durability?: "required" | "best-effort"
}

/**
 * The store {@link makeRedisStore} makes: an `IdempotencyStore` with a start check.
 *
 * @since 0.2.0
 */
export interface RedisStore extends IdempotencyStore.IdempotencyStore {
  /**
   * Runs the start check now (it otherwise runs before the first operation): the durability
   * check, then the store's sentinel key is written or read. Rejects with
   * {@link RedisNotDurableError} when Redis could forget keys (without `durability:
   * "best-effort"`), or with `IdempotencyStoreError` when Redis does not answer within
   * `operationTimeout`. Await it when your relay starts, so a misconfigured Redis stops the
   * start instead of turning every send into a 503.
   */
  readonly ready: () => Promise<void>
}

/**
 * Makes the store; pass it to a relay as its `idempotencyStore` option.
 *
 * `reserve` takes a key with `SET key marker NX PX ttl` (the marker holds the body's
 * fingerprint and a random token), or reads what the key holds: `InFlight`, `Answered`, or
 * `Conflict` for another body. `complete` and `release` are Lua scripts that change the key only
 * while it still holds the caller's own marker. Every Redis error or timeout is an
 * `IdempotencyStoreError`. Throws `InvalidOptionsError` for a missing client or a bad duration.
 *
 * Every script first checks the store's sentinel key (written at the start check, no TTL) and
 * Redis's `run_id`. When the sentinel is missing (a restart without data, `FLUSHALL`, an
 * eviction) or Redis restarted without `appendfsync always`, the store refuses new keys for one
 * TTL (the `IdempotencyStoreError`'s cause is {@link RedisDataLossError}; the relay answers 503,
 * nothing sent), because a key remembered before the loss could be repeated within that time.
 * Keys that are still in Redis keep their answers. Every instance sharing the Redis sees the
 * same quarantine.
 *
 * @since 0.1.0
 */
export const makeRedisStore: (options: RedisStoreOptions) => RedisStore = internal.makeRedisStore

export { RedisDataLossError, RedisNotDurableError } from "./errors.js"
