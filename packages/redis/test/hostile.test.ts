/**
 * The hostile suite's relay target with the Redis store on a real redis-server (AOF with
 * fsync, so the store's default `durability: "required"` accepts it): every endpoint of
 * `Endpoint.all` against every attack of the hostile OneRoute, each sent with an
 * `Idempotency-Key` and repeated; the hostile server counts the upstream copies.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { createClient, layer, relayHandler, toNodeListener } from "@oneroute/node/effect"
import { hostileSuite, type RedisServer, type ServedHandler, startRedis } from "@oneroute/testkit"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, it } from "vitest"
import { makeRedisStore } from "../src/index.js"

const serve = async (handler: (request: Request) => Promise<Response>): Promise<ServedHandler> => {
  const server = createServer(toNodeListener(handler))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

let redisServer: RedisServer | undefined
let redis: Redis | undefined

const suite = hostileSuite({
  runtime: { createClient, layer, relayHandler, serve },
  targets: ["relay"],
  idempotencyStore: async () => {
    redisServer = await startRedis({ durable: true })
    redis = new Redis(redisServer.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
    redis.on("error", () => undefined)
    await redis.connect()
    const store = makeRedisStore({ redis })
    await store.ready()
    return store
  }
})

beforeAll(suite.setup, 60_000)
afterAll(async () => {
  await suite.teardown()
  redis?.disconnect()
  await redisServer?.stop()
  const totals = suite.totals()
  console.log(
    `hostile suite on Node, relay with the Redis store: ${totals.attacksRun} attacks run, ${totals.sends} sends, ` +
      `${totals.upstreamCopies} upstream copies counted, ${totals.renderingsSearched} renderings searched, ` +
      `${totals.failedCases} failed cases`
  )
}, 60_000)

describe("hostile OneRoute through a relay with the Redis store", () => {
  for (const testCase of suite.cases) it(testCase.name, testCase.run, 120_000)
})
