import { IdempotencyStore } from "@oneroute/node/effect"
import { type RedisServer, startRedis } from "@oneroute/testkit"
import { idempotencyStoreCases } from "@oneroute/testkit/conformance"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeRedisStore } from "../src/index.js"

const answer: IdempotencyStore.StoredAnswer = {
  status: 200,
  headers: { "content-type": "application/json" },
  body: '{"data":{"id":"m1"}}'
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
let prefixes = 0
const freshPrefix = () => `test:${process.pid}:${++prefixes}:`

const failureOf = async <A>(effect: Effect.Effect<A, IdempotencyStore.IdempotencyStoreError>) => {
  const exit = await Effect.runPromiseExit(effect)
  expect(Exit.isFailure(exit)).toBe(true)
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  expect(error).toBeInstanceOf(IdempotencyStore.IdempotencyStoreError)
  return error!
}

describe("makeRedisStore against a real redis-server (AOF, appendfsync always)", () => {
  let server: RedisServer
  let redis: Redis
  beforeAll(async () => {
    // Durable, so the store runs with its defaults (durability: "required").
    server = await startRedis({ durable: true })
    redis = new Redis(server.url, { lazyConnect: true })
    await redis.connect()
  })
  afterAll(async () => {
    redis?.disconnect()
    await server?.stop()
  })

  describe("IdempotencyStore contract", () => {
    for (const testCase of idempotencyStoreCases) {
      it(testCase.name, () => testCase.run(async () => makeRedisStore({ redis, keyPrefix: freshPrefix() })))
    }
  })

  it("writes under its key prefix, with the TTL as the in-flight marker's lease", async () => {
    const keyPrefix = freshPrefix()
    const store = makeRedisStore({ redis, keyPrefix, ttl: "1 minute" })
    const reservation = await Effect.runPromise(store.reserve("k", "digest"))
    expect(reservation._tag).toBe("Reserved")
    const marker = JSON.parse((await redis.get(`${keyPrefix}k`)) ?? "null")
    expect(marker).toMatchObject({ state: "in-flight", fingerprint: "digest" })
    const lease = await redis.pttl(`${keyPrefix}k`)
    expect(lease).toBeGreaterThan(0)
    expect(lease).toBeLessThanOrEqual(60_000)
  })

  it("keeps an answer with empty headers and unusual text unchanged", async () => {
    const store = makeRedisStore({ redis, keyPrefix: freshPrefix() })
    const odd: IdempotencyStore.StoredAnswer = { status: 502, headers: {}, body: 'é/"\\\n😀{}[]' }
    const reservation = await Effect.runPromise(store.reserve("k", "d"))
    if (reservation._tag !== "Reserved") throw new Error(reservation._tag)
    await Effect.runPromise(store.complete("k", reservation.token, odd))
    expect(await Effect.runPromise(store.reserve("k", "d"))).toEqual({ _tag: "Answered", answer: odd })
  })

  it("a release after complete leaves the answer", async () => {
    const store = makeRedisStore({ redis, keyPrefix: freshPrefix() })
    const reservation = await Effect.runPromise(store.reserve("k", "d"))
    if (reservation._tag !== "Reserved") throw new Error(reservation._tag)
    await Effect.runPromise(store.complete("k", reservation.token, answer))
    await Effect.runPromise(store.release("k", reservation.token))
    expect((await Effect.runPromise(store.reserve("k", "d")))._tag).toBe("Answered")
  })

  it("reloads its scripts after the server forgot them (SCRIPT FLUSH)", async () => {
    const store = makeRedisStore({ redis, keyPrefix: freshPrefix() })
    const first = await Effect.runPromise(store.reserve("k", "d"))
    if (first._tag !== "Reserved") throw new Error(first._tag)
    await redis.script("FLUSH")
    await Effect.runPromise(store.complete("k", first.token, answer))
    expect((await Effect.runPromise(store.reserve("k", "d")))._tag).toBe("Answered")
  })

  it("a value it did not write is an IdempotencyStoreError, not a reservation", async () => {
    const keyPrefix = freshPrefix()
    await redis.set(`${keyPrefix}k`, "not json")
    const error = await failureOf(makeRedisStore({ redis, keyPrefix }).reserve("k", "d"))
    expect(error.operation).toBe("reserve")
  })

  it("the TTL expires answers and in-flight markers", async () => {
    const store = makeRedisStore({ redis, keyPrefix: freshPrefix(), ttl: Duration.millis(500) })
    const started = performance.now()
    const answered = await Effect.runPromise(store.reserve("answered", "d"))
    const inFlight = await Effect.runPromise(store.reserve("in-flight", "d"))
    if (answered._tag !== "Reserved" || inFlight._tag !== "Reserved") throw new Error("not reserved")
    await Effect.runPromise(store.complete("answered", answered.token, answer))
    const early = [
      (await Effect.runPromise(store.reserve("answered", "d")))._tag,
      (await Effect.runPromise(store.reserve("in-flight", "d")))._tag
    ]
    // Only a machine that stalled for the whole TTL may already see them gone (no upper bound on time).
    if (performance.now() - started < 500) expect(early).toEqual(["Answered", "InFlight"])
    await sleep(2_000)
    expect((await Effect.runPromise(store.reserve("answered", "d")))._tag).toBe("Reserved")
    expect((await Effect.runPromise(store.reserve("in-flight", "d")))._tag).toBe("Reserved")
  })

  it("two store instances (each with its own client) share one Redis", async () => {
    const keyPrefix = freshPrefix()
    const other = new Redis(server.url)
    try {
      const first = makeRedisStore({ redis, keyPrefix })
      const second = makeRedisStore({ redis: other, keyPrefix })
      const reservation = await Effect.runPromise(first.reserve("shared", "d"))
      if (reservation._tag !== "Reserved") throw new Error(reservation._tag)
      expect((await Effect.runPromise(second.reserve("shared", "d")))._tag).toBe("InFlight")
      expect((await Effect.runPromise(second.reserve("shared", "other body")))._tag).toBe("Conflict")
      // The second instance cannot finish the first one's reservation.
      await Effect.runPromise(second.release("shared", "a guessed token"))
      expect((await Effect.runPromise(second.reserve("shared", "d")))._tag).toBe("InFlight")
      await Effect.runPromise(first.complete("shared", reservation.token, answer))
      expect(await Effect.runPromise(second.reserve("shared", "d"))).toEqual({ _tag: "Answered", answer })
      // A third instance made later (a restarted relay) sees it too.
      const third = makeRedisStore({ redis: other, keyPrefix })
      expect(await Effect.runPromise(third.reserve("shared", "d"))).toEqual({ _tag: "Answered", answer })
    } finally {
      other.disconnect()
    }
  })

  it("rejects bad options", () => {
    expect(() => makeRedisStore({ redis, ttl: 0 })).toThrow(/ttl/)
    expect(() => makeRedisStore({ redis, operationTimeout: "forever" as Duration.DurationInput })).toThrow(
      /operationTimeout/
    )
    expect(() => makeRedisStore({ redis: undefined as unknown as Redis })).toThrow(/ioredis client/)
    expect(() => makeRedisStore({ redis, durability: "maybe" as "required" })).toThrow(/durability/)
  })
})

describe("makeRedisStore when Redis is down", () => {
  it("a client with the offline queue (ioredis's default) fails within the operation timeout", async () => {
    const server = await startRedis()
    const redis = new Redis(server.url)
    redis.on("error", () => undefined) // its reconnect attempts
    try {
      const store = makeRedisStore({
        redis,
        keyPrefix: freshPrefix(),
        operationTimeout: "300 millis",
        durability: "best-effort"
      })
      expect((await Effect.runPromise(store.reserve("before", "d")))._tag).toBe("Reserved")
      await server.stop()
      const error = await failureOf(store.reserve("after", "d"))
      expect(error.operation).toBe("reserve")
      expect(error.message).toMatch(/within 300 ms|Connection|ECONNREFUSED|closed/)
      expect((await failureOf(store.complete("before", "t", answer))).operation).toBe("complete")
      expect((await failureOf(store.release("before", "t"))).operation).toBe("release")
    } finally {
      redis.disconnect()
      await server.stop()
    }
  })

  it("a fail-fast client (enableOfflineQueue: false) refuses at once", async () => {
    const server = await startRedis()
    const redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
    redis.on("error", () => undefined)
    try {
      await new Promise((resolve) => redis.once("ready", resolve))
      const store = makeRedisStore({
        redis,
        keyPrefix: freshPrefix(),
        operationTimeout: "30 seconds",
        durability: "best-effort"
      })
      expect((await Effect.runPromise(store.reserve("before", "d")))._tag).toBe("Reserved")
      await server.stop()
      const error = await failureOf(store.reserve("after", "d"))
      // Not the timeout: the client's own error, long before 30 seconds.
      expect(error.message).not.toMatch(/did not answer within/)
    } finally {
      redis.disconnect()
      await server.stop()
    }
  })

  it("no server at all: reserve fails with IdempotencyStoreError", async () => {
    const server = await startRedis()
    await server.stop()
    const redis = new Redis(server.url)
    redis.on("error", () => undefined)
    try {
      const error = await failureOf(
        makeRedisStore({
          redis,
          keyPrefix: freshPrefix(),
          operationTimeout: "300 millis",
          durability: "best-effort"
        }).reserve("k", "d")
      )
      expect(error.operation).toBe("reserve")
    } finally {
      redis.disconnect()
    }
  })
})
