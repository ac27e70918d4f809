/**
 * A conversation window store in Redis, for trackers in several instances (the webhook receiver
 * and every process that sends): each sees the windows the others recorded.
 *
 * ```ts
 * import { Redis } from "ioredis"
 * import { createWindowTracker } from "@oneroute/node"
 * import { makeRedisWindowStore } from "@oneroute/redis"
 *
 * const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
 * const windows = createWindowTracker({ store: makeRedisWindowStore({ redis }) })
 * const window = await windows.status({ from: "2348000000001", to: "2348012345678" })
 * ```
 *
 * @since 0.4.0
 */
import type { WindowStore } from "@oneroute/core"
import type * as Duration from "effect/Duration"
import type { Cluster, Redis } from "ioredis"
import * as internal from "./internal/windowStore.js"

/**
 * The commands the window store uses; an ioredis `Redis` or `Cluster` has them.
 *
 * @since 0.4.0
 */
export type RedisWindowClient = Pick<Redis | Cluster, "eval" | "evalsha" | "hmget">

/**
 * Options of {@link makeRedisWindowStore}.
 *
 * @since 0.4.0
 */
export interface RedisWindowStoreOptions {
  /**
   * Your ioredis client. You own it: the store configures nothing on it and never closes it. A
   * client made with `{ enableOfflineQueue: false, maxRetriesPerRequest: 1 }` fails at once while
   * Redis is down (the tracker then says `unknown`) instead of queueing.
   */
  readonly redis: RedisWindowClient
  /**
   * Prefix of every key the store writes. Default `"oneroute:windows:"`. With a Cluster it must
   * hold a hash tag (such as `"{oneroute}:windows:"`): a conversation's link and its pair's window
   * are written by one script, so they must live on one primary.
   */
  readonly keyPrefix?: string
  /**
   * The longest an operation waits for Redis before it fails (a record rejects with
   * `WindowStoreError`, `status` says `unknown`). Default 2 seconds.
   */
  readonly operationTimeout?: Duration.DurationInput
}

/**
 * Makes the store; pass it to `createWindowTracker({ store })` (or `ConversationWindows.layer`)
 * in every instance. One hash per pair of numbers (`<prefix>pair:<business>:<customer>`, fields
 * `inboundAt`, `closedAt`, `sentAt`) and one per conversation (`<prefix>conversation:<id>`, its
 * linked pair or its kept inbound message). Every write is a Lua script that keeps the later of
 * the stored and the new time of each field, so writes from several instances, in any order,
 * repeated or late, give the same window; the key's TTL only grows. A Redis error or timeout is
 * a `WindowStoreError` (`"full"` when Redis is out of memory, else `"unavailable"`).
 *
 * Losing data needs no guard here: a lost key makes `status` say `unknown` (a session send is
 * then tried, and a `window-closed` refusal is recorded), never a window that was not recorded.
 * Throws `InvalidOptionsError` for a missing client, a bad duration, or a Cluster prefix without
 * a hash tag.
 *
 * @since 0.4.0
 */
export const makeRedisWindowStore: (options: RedisWindowStoreOptions) => WindowStore = internal.makeRedisWindowStore
