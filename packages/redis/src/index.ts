/**
 * @oneroute/redis — a Redis `IdempotencyStore` (on ioredis) for OneRoute relays that run as
 * several instances.
 *
 * @since 0.1.0
 */
export {
  makeRedisStore,
  type RedisClient,
  RedisDataLossError,
  RedisNotDurableError,
  type RedisStore,
  type RedisStoreOptions
} from "./RedisStore.js"
export { makeRedisWindowStore, type RedisWindowClient, type RedisWindowStoreOptions } from "./RedisWindowStore.js"
