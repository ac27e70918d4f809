/** The one window store contract, run against the in-memory store and a real redis-server. */
import { makeMemoryWindowStore } from "@oneroute/core"
import { type RedisServer, startRedis } from "@oneroute/testkit"
import { Redis } from "ioredis"
import { afterAll, beforeAll } from "vitest"
import { makeRedisWindowStore } from "../src/index.js"
import { windowStoreSuite } from "./support/windowStoreSuite.js"

windowStoreSuite("makeMemoryWindowStore", async () => {
  const clock = { now: Date.now() }
  const now = () => clock.now
  return {
    store: makeMemoryWindowStore({ now }),
    now,
    wait: async (ms) => {
      clock.now += ms
    }
  }
})

let server: RedisServer
let redis: Redis
let prefixes = 0
beforeAll(async () => {
  server = await startRedis()
  redis = new Redis(server.url, { lazyConnect: true })
  await redis.connect()
})
afterAll(async () => {
  redis?.disconnect()
  await server?.stop()
})

windowStoreSuite("makeRedisWindowStore", async () => ({
  store: makeRedisWindowStore({ redis, keyPrefix: `test:${process.pid}:${++prefixes}:` }),
  now: Date.now,
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}))
