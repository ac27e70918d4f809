import { IdempotencyStore } from "@oneroute/node/effect"
import { type RedisServer, type RedisServerOptions, startRedis } from "@oneroute/testkit"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { Redis } from "ioredis"
import { afterEach, describe, expect, it } from "vitest"
import { makeRedisStore, RedisDataLossError, RedisNotDurableError } from "../src/index.js"

const answer: IdempotencyStore.StoredAnswer = { status: 200, headers: {}, body: '{"data":{"id":"m1"}}' }

const opened: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close()
})

const serverAndClient = async (options: RedisServerOptions = {}): Promise<{ server: RedisServer; redis: Redis }> => {
  const server = await startRedis(options)
  opened.push(() => server.stop())
  const redis = new Redis(server.url)
  redis.on("error", () => undefined)
  opened.push(() => redis.disconnect())
  return { server, redis }
}

const refusal = async (store: IdempotencyStore.IdempotencyStore, key: string) => {
  const exit = await Effect.runPromiseExit(store.reserve(key, "d"))
  if (Exit.isSuccess(exit)) throw new Error(`expected a refusal, got ${exit.value._tag}`)
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  expect(error).toBeInstanceOf(IdempotencyStore.IdempotencyStoreError)
  return error!.cause
}

const reserved = async (store: IdempotencyStore.IdempotencyStore, key: string) => {
  const reservation = await Effect.runPromise(store.reserve(key, "d"))
  if (reservation._tag !== "Reserved") throw new Error(`expected Reserved, got ${reservation._tag}`)
  return reservation.token
}

const readyError = async (promise: Promise<void>) => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error("ready() resolved")
}

describe("the start check refuses a Redis that could forget keys", () => {
  it("no persistence: ready() rejects with RedisNotDurableError, and every reserve fails; the opt-in accepts it", async () => {
    const { redis } = await serverAndClient()
    const store = makeRedisStore({ redis })
    const error = await readyError(store.ready())
    expect(error).toBeInstanceOf(RedisNotDurableError)
    expect((error as RedisNotDurableError).problems.join()).toMatch(/appendonly/)
    expect(String((error as Error).message)).toMatch(/durability: "best-effort"/)
    expect(await refusal(store, "k")).toBeInstanceOf(RedisNotDurableError)
    // Nothing was written: the check runs before the first script.
    expect(await redis.dbsize()).toBe(0)

    const optedIn = makeRedisStore({ redis, durability: "best-effort" })
    await optedIn.ready()
    await reserved(optedIn, "k")
  })

  it("AOF with appendfsync always and no memory limit is accepted", async () => {
    const { redis } = await serverAndClient({ durable: true })
    const store = makeRedisStore({ redis })
    await store.ready()
    await reserved(store, "k")
  })

  it("appendfsync no is refused; everysec is accepted", async () => {
    const { redis } = await serverAndClient({ durable: true })
    await redis.config("SET", "appendfsync", "no")
    expect(((await readyError(makeRedisStore({ redis }).ready())) as RedisNotDurableError).problems.join()).toMatch(
      /appendfsync/
    )
    await redis.config("SET", "appendfsync", "everysec")
    await makeRedisStore({ redis }).ready()
  })

  it("a memory limit with an evicting policy (allkeys-lru, volatile-lru) is refused; noeviction is accepted", async () => {
    const { redis } = await serverAndClient({ durable: true, args: ["--maxmemory", "64mb"] })
    for (const policy of ["allkeys-lru", "volatile-lru", "volatile-ttl"]) {
      await redis.config("SET", "maxmemory-policy", policy)
      const error = (await readyError(makeRedisStore({ redis }).ready())) as RedisNotDurableError
      expect(error).toBeInstanceOf(RedisNotDurableError)
      expect(error.problems.join(), policy).toMatch(new RegExp(`maxmemory-policy is ${policy}`))
    }
    await redis.config("SET", "maxmemory-policy", "noeviction")
    await makeRedisStore({ redis }).ready()
  })

  it("CONFIG forbidden (managed Redis): the check reads INFO instead", async () => {
    const plain = await serverAndClient({ args: ["--rename-command", "CONFIG", ""] })
    const error = await readyError(makeRedisStore({ redis: plain.redis }).ready())
    expect(error).toBeInstanceOf(RedisNotDurableError)
    expect((error as RedisNotDurableError).problems.join()).toMatch(/appendonly/)

    const durable = await serverAndClient({ durable: true, args: ["--rename-command", "CONFIG", ""] })
    await makeRedisStore({ redis: durable.redis }).ready()
  })

  it("ready() on an unreachable Redis fails with IdempotencyStoreError within operationTimeout", async () => {
    const { server, redis } = await serverAndClient({ durable: true })
    await server.stop()
    const error = await readyError(makeRedisStore({ redis, operationTimeout: "300 millis" }).ready())
    expect(error).toBeInstanceOf(IdempotencyStore.IdempotencyStoreError)
  })
})

describe("the store notices a Redis that lost its data", () => {
  it("FLUSHALL: every instance refuses new keys for one TTL, then accepts them again", async () => {
    const { server, redis } = await serverAndClient()
    const other = new Redis(server.url)
    opened.push(() => other.disconnect())
    const options = { durability: "best-effort", ttl: "3 seconds" } as const
    const first = makeRedisStore({ redis, ...options })
    const second = makeRedisStore({ redis: other, ...options })
    await Promise.all([first.ready(), second.ready()])
    const token = await reserved(first, "sent")
    await Effect.runPromise(first.complete("sent", token, answer))
    const inFlight = await reserved(second, "in-flight")

    await redis.flushall()
    const cause = await refusal(second, "sent")
    expect(cause).toBeInstanceOf(RedisDataLossError)
    expect((cause as RedisDataLossError).reason).toBe("missing")
    // The other instance sees the same quarantine, for repeats and new keys alike.
    expect(await refusal(first, "sent")).toBeInstanceOf(RedisDataLossError)
    expect(await refusal(first, "new")).toBeInstanceOf(RedisDataLossError)
    // A late complete of a reservation made before the loss writes nothing.
    await Effect.runPromise(second.complete("in-flight", inFlight, answer))
    expect(await refusal(first, "in-flight")).toBeInstanceOf(RedisDataLossError)
    // A third instance made during the quarantine (a relay restarted) refuses too.
    const third = makeRedisStore({ redis: other, ...options })
    await third.ready()
    expect(await refusal(third, "sent")).toBeInstanceOf(RedisDataLossError)

    const until = (cause as RedisDataLossError).quarantinedUntil.getTime()
    while (Date.now() <= until + 50) await new Promise((resolve) => setTimeout(resolve, 100))
    await reserved(first, "sent")
    await reserved(second, "new")
  })

  it("during a quarantine, keys that are still there keep their answers", async () => {
    const { redis } = await serverAndClient()
    const store = makeRedisStore({ redis, durability: "best-effort", ttl: "1 minute" })
    await store.ready()
    const token = await reserved(store, "kept")
    await Effect.runPromise(store.complete("kept", token, answer))
    await redis.del("oneroute:idempotency:store sentinel")
    expect(await refusal(store, "new")).toBeInstanceOf(RedisDataLossError)
    expect(await Effect.runPromise(store.reserve("kept", "d"))).toEqual({ _tag: "Answered", answer })
    expect((await Effect.runPromise(store.reserve("kept", "other body")))._tag).toBe("Conflict")
  })

  it("a restart that kept the data but not every write (RDB snapshot, no AOF) is noticed by its new run_id", async () => {
    const { server, redis } = await serverAndClient()
    const store = makeRedisStore({ redis, durability: "best-effort", ttl: "1 minute" })
    await store.ready()
    const token = await reserved(store, "snapshotted")
    await Effect.runPromise(store.complete("snapshotted", token, answer))
    await redis.save() // the snapshot has the sentinel and this key
    await reserved(store, "after the snapshot")
    // --save "" only turns off automatic saves: the restart loads dump.rdb from the directory.
    await server.restart()
    while (redis.status !== "ready") await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await redis.exists("oneroute:idempotency:after the snapshot")).toBe(0)
    const cause = await refusal(store, "after the snapshot")
    expect(cause).toBeInstanceOf(RedisDataLossError)
    expect((cause as RedisDataLossError).reason).toBe("restarted")
    expect(await Effect.runPromise(store.reserve("snapshotted", "d"))).toEqual({ _tag: "Answered", answer })
  })

  it("a restart of a server with appendfsync always is no loss: no quarantine", async () => {
    const { server, redis } = await serverAndClient({ durable: true })
    const store = makeRedisStore({ redis })
    await store.ready()
    const token = await reserved(store, "kept")
    await Effect.runPromise(store.complete("kept", token, answer))
    await server.restart()
    while (redis.status !== "ready") await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await Effect.runPromise(store.reserve("kept", "d"))).toEqual({ _tag: "Answered", answer })
    await reserved(store, "new")
  })
})
