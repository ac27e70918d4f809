/**
 * The Redis window store beyond the shared contract: two trackers over one Redis agree, a stopped
 * or silent Redis says `unknown` (never `open`), an out-of-memory Redis refuses as `full`, and
 * whatever Redis holds that is not a window is `unknown`.
 */
import { createServer, type Server, type Socket } from "node:net"
import {
  createWindowTracker,
  InvalidOptionsError,
  WindowInputError,
  WindowStoreError,
  type WindowTracker
} from "@oneroute/core"
import { type RedisServer, startRedis } from "@oneroute/testkit"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeRedisWindowStore } from "../src/index.js"

const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const BUSINESS = "2348000000001"
let customers = 0
/** A customer no other test uses, so tests share one Redis. */
const freshPair = () => ({ from: BUSINESS, to: `2348${String(++customers).padStart(9, "0")}` })

const rejection = async (promise: Promise<unknown>): Promise<Error> => {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error
  )
  expect(error).toBeInstanceOf(Error)
  return error as Error
}

/** A client that fails at once while Redis is down, as the README recommends. */
const clientFor = async (server: RedisServer) => {
  const redis = new Redis(server.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
  await redis.connect()
  return redis
}

describe("makeRedisWindowStore: several instances", () => {
  let server: RedisServer
  let clients: Array<Redis>
  let receiver: WindowTracker
  let sender: WindowTracker
  beforeAll(async () => {
    server = await startRedis()
    clients = [await clientFor(server), await clientFor(server)]
    // Two processes: the webhook receiver and a sender, each with its own connection.
    receiver = createWindowTracker({ store: makeRedisWindowStore({ redis: clients[0]! }) })
    sender = createWindowTracker({ store: makeRedisWindowStore({ redis: clients[1]! }) })
  })
  afterAll(async () => {
    for (const client of clients ?? []) client.disconnect()
    await server?.stop()
  })

  it("a webhook's inbound on one instance, the send's link on the other: both say open with the same expiry", async () => {
    const pair = freshPair()
    const at = Date.now() - HOUR
    await receiver.recordInbound({ conversationId: `conv-${pair.to}`, at: new Date(at) })
    expect(await sender.status(pair)).toEqual({ state: "unknown" })
    await sender.recordSend({ ...pair, conversationId: `conv-${pair.to}` })
    const [seenBySender, seenByReceiver] = [await sender.status(pair), await receiver.status(pair)]
    expect(seenBySender).toEqual(seenByReceiver)
    expect(seenBySender).toEqual({
      state: "open",
      lastInboundAt: new Date(at),
      expiresAt: new Date(at + DAY - 5 * 60 * 1000)
    })
    // Later inbound messages by conversation reach the sender's answer too.
    const later = Date.now()
    await receiver.recordInbound({ conversationId: `conv-${pair.to}`, at: later })
    expect(await sender.status(pair)).toMatchObject({ state: "open", lastInboundAt: new Date(later) })
  })

  it("inbound messages and links racing over two connections: every pair ends at its latest inbound (40 pairs)", async () => {
    const now = Date.now()
    const cases = Array.from({ length: 40 }, (_, i) => ({ pair: freshPair(), at: now - (i + 1) * 1000 }))
    await Promise.all(
      cases.flatMap(({ pair, at }) => [
        receiver.recordInbound({ conversationId: `race-${pair.to}`, at }),
        receiver.recordInbound({ conversationId: `race-${pair.to}`, at: at - HOUR }),
        sender.recordSend({ ...pair, conversationId: `race-${pair.to}` })
      ])
    )
    for (const { pair, at } of cases) {
      expect(await receiver.status(pair)).toMatchObject({ state: "open", lastInboundAt: new Date(at) })
    }
  })

  it("a refusal recorded by one instance closes the window for the other", async () => {
    const pair = freshPair()
    await receiver.recordInbound({ ...pair, at: Date.now() - HOUR })
    expect((await receiver.status(pair)).state).toBe("open")
    await sender.recordClosed(pair)
    expect((await receiver.status(pair)).state).toBe("closed")
  })

  it("keys live under the prefix, with a TTL of at most two windows", async () => {
    const pair = freshPair()
    await receiver.recordInbound({ ...pair, at: Date.now() })
    const key = `oneroute:windows:pair:${pair.from}:${pair.to}`
    expect(await clients[0]!.hgetall(key)).toEqual({ inboundAt: expect.stringMatching(/^\d+$/) })
    const ttl = await clients[0]!.pttl(key)
    expect(ttl).toBeGreaterThan(2 * DAY - HOUR)
    expect(ttl).toBeLessThanOrEqual(2 * DAY)
  })

  it("what Redis holds that is not a window (a foreign value, another type): unknown, and records fail typed", async () => {
    const garbled = freshPair()
    await clients[0]!.hset(`oneroute:windows:pair:${garbled.from}:${garbled.to}`, "inboundAt", "soon")
    expect(await receiver.status(garbled)).toEqual({ state: "unknown" })
    const wrongType = freshPair()
    await clients[0]!.set(`oneroute:windows:pair:${wrongType.from}:${wrongType.to}`, "x")
    expect(await receiver.status(wrongType)).toEqual({ state: "unknown" })
    const error = await rejection(receiver.recordInbound({ ...wrongType, at: Date.now() }))
    expect(error).toBeInstanceOf(WindowStoreError)
    expect(error).toMatchObject({ reason: "unavailable" })
    expect(await receiver.status(wrongType)).toEqual({ state: "unknown" })
  })

  it("hostile input is refused before Redis sees it", async () => {
    const before = await clients[0]!.dbsize()
    for (const event of [
      { conversationId: "x".repeat(5_000_000), at: Date.now() },
      { conversationId: "a b", at: Date.now() },
      { conversationId: "conv", at: Number.NaN },
      { ...freshPair(), at: new Date(Number.NaN) },
      { from: BUSINESS, to: "1".repeat(1_000_000), at: Date.now() }
    ]) {
      expect(await rejection(receiver.recordInbound(event))).toBeInstanceOf(WindowInputError)
    }
    expect(await clients[0]!.dbsize()).toBe(before)
  })

  it("an event dated far in the future opens no longer than one recorded now", async () => {
    const pair = freshPair()
    const before = Date.now()
    await receiver.recordInbound({ ...pair, at: new Date("9999-12-31T00:00:00Z") })
    const status = await sender.status(pair)
    expect(status.state).toBe("open")
    if (status.state !== "open") return
    expect(status.lastInboundAt.getTime()).toBeGreaterThanOrEqual(before)
    expect(status.lastInboundAt.getTime()).toBeLessThanOrEqual(Date.now())
  })
})

describe("makeRedisWindowStore: Redis failing", () => {
  it("a restart that lost the data: unknown; Redis stopped: unknown (never open), records reject with WindowStoreError", async () => {
    const server = await startRedis()
    const redis = await clientFor(server)
    redis.on("error", () => {})
    try {
      const windows = createWindowTracker({ store: makeRedisWindowStore({ redis, operationTimeout: 1000 }) })
      const pair = freshPair()
      await windows.recordInbound({ ...pair, at: Date.now() })
      expect((await windows.status(pair)).state).toBe("open")
      await server.restart()
      while (redis.status !== "ready") await new Promise((resolve) => setTimeout(resolve, 50))
      expect(await windows.status(pair)).toEqual({ state: "unknown" })
      await windows.recordInbound({ ...pair, at: Date.now() })
      expect((await windows.status(pair)).state).toBe("open")
      await server.stop()
      expect(await windows.status(pair)).toEqual({ state: "unknown" })
      const error = await rejection(windows.recordInbound({ ...pair, at: Date.now() }))
      expect(error).toBeInstanceOf(WindowStoreError)
      expect(error).toMatchObject({ _tag: "WindowStoreError", reason: "unavailable" })
      expect(error.message).toContain("status says unknown")
    } finally {
      redis.disconnect()
      await server.stop()
    }
  })

  it("a Redis that accepts the connection but never answers: unknown within operationTimeout", async () => {
    const sockets = new Set<Socket>()
    const silent: Server = createServer((socket) => {
      sockets.add(socket)
      socket.on("error", () => {})
    })
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve))
    const port = (silent.address() as { port: number }).port
    const redis = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1 })
    redis.on("error", () => {})
    try {
      const windows = createWindowTracker({ store: makeRedisWindowStore({ redis, operationTimeout: 300 }) })
      expect(await windows.status(freshPair())).toEqual({ state: "unknown" })
      const error = await rejection(windows.recordClosed(freshPair()))
      expect(error).toMatchObject({ _tag: "WindowStoreError", reason: "unavailable" })
      expect(error.message).toContain("did not answer within 300 ms")
    } finally {
      redis.disconnect()
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it("Redis out of memory (noeviction): new windows are refused as full, never forgotten; kept ones still answer", async () => {
    const server = await startRedis({ args: ["--maxmemory", "3mb", "--maxmemory-policy", "noeviction"] })
    const redis = await clientFor(server)
    try {
      const windows = createWindowTracker({ store: makeRedisWindowStore({ redis }) })
      const first = freshPair()
      await windows.recordInbound({ ...first, at: Date.now() })
      let full: Error | undefined
      for (let batch = 0; batch < 500 && full === undefined; batch++) {
        const results = await Promise.allSettled(
          Array.from({ length: 200 }, () =>
            windows.recordInbound({
              conversationId: `filler-${batch}-${"x".repeat(200)}-${++customers}`,
              at: Date.now()
            })
          )
        )
        full = results.find((result) => result.status === "rejected")?.reason
      }
      expect(full).toBeInstanceOf(WindowStoreError)
      expect(full).toMatchObject({ reason: "full" })
      expect((await windows.status(first)).state).toBe("open")
      const refused = freshPair()
      expect(await rejection(windows.recordInbound({ ...refused, at: Date.now() }))).toMatchObject({ reason: "full" })
      expect(await windows.status(refused)).toEqual({ state: "unknown" })
    } finally {
      redis.disconnect()
      await server.stop()
    }
  })
})

describe("makeRedisWindowStore: options", () => {
  it("refuses a missing client, a bad timeout, and a Cluster prefix without a hash tag", () => {
    const redis = { eval: () => {}, evalsha: () => {}, hmget: () => {} } as never
    expect(() => makeRedisWindowStore({ redis: undefined as never })).toThrow(InvalidOptionsError)
    expect(() => makeRedisWindowStore({ redis: {} as never })).toThrow(InvalidOptionsError)
    for (const operationTimeout of [0, -1, Number.NaN, "soon", "30 days"]) {
      expect(() => makeRedisWindowStore({ redis, operationTimeout: operationTimeout as never })).toThrow(
        InvalidOptionsError
      )
    }
    const cluster = { eval: () => {}, evalsha: () => {}, hmget: () => {}, isCluster: true } as never
    expect(() => makeRedisWindowStore({ redis: cluster })).toThrow(/hash tag/)
    expect(() => makeRedisWindowStore({ redis: cluster, keyPrefix: "{oneroute}:windows:" })).not.toThrow()
  })
})
