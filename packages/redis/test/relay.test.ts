import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { relayHandler, toNodeListener } from "@oneroute/node"
import { type Emulator, type RedisServer, startEmulator, startRedis } from "@oneroute/testkit"
import { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeRedisStore, type RedisStoreOptions } from "../src/index.js"

/** The emulator's default channel (see packages/testkit/test/helpers.ts). */
const BUSINESS = "2348000000001"
const CUSTOMERS = Array.from({ length: 16 }, (_, i) => `2348012${String(i).padStart(6, "0")}`)
const CONCURRENCY = 32
/** Thousands of real HTTP round trips on a 2-core machine that may be busy with other suites. */
const LONG = 600_000

/** One relay instance: its own relayHandler, node:http server and ioredis client. */
interface Instance {
  readonly url: string
  readonly redis: Redis
  readonly close: () => Promise<void>
}

const startInstance = async (
  emulator: Emulator,
  redisUrl: string,
  redisOptions: { readonly enableOfflineQueue?: boolean; readonly maxRetriesPerRequest?: number },
  // These servers keep no data: the tests about durability say so, the others opt in.
  storeOptions: Omit<RedisStoreOptions, "redis"> = { durability: "best-effort" }
): Promise<Instance> => {
  const redis = new Redis(redisUrl, { lazyConnect: true, ...redisOptions })
  redis.on("error", () => undefined) // reconnect attempts after Redis is stopped
  await redis.connect()
  const relay = relayHandler({
    apiKey: emulator.apiKey,
    baseUrl: emulator.url,
    authorize: () => true,
    allowedFrom: [BUSINESS],
    publicUrl: "http://127.0.0.1",
    idempotencyStore: makeRedisStore({ redis, ...storeOptions })
  })
  const server = createServer(toNodeListener(relay))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oneroute/api/public/conversation/text`,
    redis,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await relay.close()
      redis.disconnect()
    }
  }
}

interface Send {
  readonly key: string
  readonly to: string
  readonly instance: number
}

interface Result extends Send {
  readonly status: number
  readonly body: {
    readonly success?: boolean
    readonly data?: { readonly id?: string } | null
    readonly error?: { readonly _tag?: string; readonly sendOutcome?: string; readonly reason?: string }
  }
  /** Wall-clock start (Date.now), to compare with Redis's time in the sentinel. */
  readonly at: number
  readonly started: number
  readonly ended: number
}

const messageOf = (key: string) => `relay test ${key}`
const keyOf = (message: string) => message.replace(/^relay test /, "")

/** A small deterministic PRNG (mulberry32), so a failing order can be reproduced. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const shuffle = <A>(items: Array<A>, next: () => number): Array<A> => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}

/**
 * `keys` keys, sent `timesOf(i)` times each; the repeats alternate between the two instances.
 * Every third key's sends are queued back to back, so with CONCURRENCY workers they are in
 * flight together; the others' repeats are spread over the whole run.
 */
const plan = (prefix: string, keys: number, timesOf: (i: number) => number, seed: number): Array<Send> => {
  const next = random(seed)
  const units: Array<Array<Send>> = []
  for (let i = 0; i < keys; i++) {
    const key = `${prefix}-${i}`
    const sends = Array.from({ length: timesOf(i) }, (_, j) => ({
      key,
      to: CUSTOMERS[i % CUSTOMERS.length]!,
      instance: (i + j) % 2
    }))
    if (i % 3 === 0) units.push(sends)
    else for (const send of sends) units.push([send])
  }
  return shuffle(units, next).flat()
}

/** Posts every send at bounded concurrency; `onResult` sees each result as it arrives. */
const run = async (
  instances: ReadonlyArray<Instance>,
  sends: ReadonlyArray<Send>,
  onResult: (result: Result, done: number) => void = () => undefined
): Promise<Array<Result>> => {
  const results: Array<Result> = []
  let nextIndex = 0
  const worker = async () => {
    while (nextIndex < sends.length) {
      const send = sends[nextIndex++]!
      const at = Date.now()
      const started = performance.now()
      const response = await fetch(instances[send.instance]!.url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": send.key },
        body: JSON.stringify({ from: BUSINESS, to: send.to, message: messageOf(send.key) })
      })
      const text = await response.text()
      const result: Result = {
        ...send,
        status: response.status,
        body: JSON.parse(text),
        at,
        started,
        ended: performance.now()
      }
      results.push(result)
      onResult(result, results.length)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return results
}

const byKey = <A extends { readonly key: string }>(items: ReadonlyArray<A>): Map<string, Array<A>> => {
  const groups = new Map<string, Array<A>>()
  for (const item of items) groups.set(item.key, [...(groups.get(item.key) ?? []), item])
  return groups
}

/** Keys whose sends were in flight at the same time at least once. */
const overlapping = (groups: Map<string, Array<Result>>): number =>
  [...groups.values()].filter((results) =>
    results.some((a, i) => results.some((b, j) => i < j && a.started < b.ended && b.started < a.ended))
  ).length

describe("two relay instances sharing one Redis", { timeout: LONG }, () => {
  let emulator: Emulator
  let redis: RedisServer
  const instances: Array<Instance> = []

  /**
   * Two instances: one configured as the README recommends (refuses at once when Redis is
   * down), one on ioredis's defaults (offline queue, endless reconnects), bounded by the
   * store's `operationTimeout`.
   */
  const startPair = async (operationTimeout: NonNullable<RedisStoreOptions["operationTimeout"]>) => {
    const pair = [
      await startInstance(
        emulator,
        redis.url,
        { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
        { operationTimeout, durability: "best-effort" }
      ),
      await startInstance(emulator, redis.url, {}, { operationTimeout, durability: "best-effort" })
    ]
    instances.push(...pair)
    return pair
  }

  beforeAll(async () => {
    emulator = await startEmulator()
    for (const customer of CUSTOMERS) emulator.receiveInbound({ from: customer, to: BUSINESS })
    redis = await startRedis()
  })
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()))
    await redis?.stop()
    await emulator?.close()
  })

  const sentFor = (prefix: string) =>
    emulator
      .sent()
      .filter((message) => keyOf(message.message).startsWith(`${prefix}-`))
      .map((message) => ({ ...message, key: keyOf(message.message) }))

  it("5,000 sends over 2,000 keys, repeats split across both instances: one message per key", async () => {
    const sends = plan("steady", 2_000, (i) => (i % 2 === 0 ? 3 : 2), 1)
    expect(sends.length).toBe(5_000)
    // Redis is up: a timeout far above a busy machine's answer time, so every send succeeds.
    const results = await run(await startPair("30 seconds"), sends)
    const answers = byKey(results)
    const sent = byKey(sentFor("steady"))

    const failed = results.filter((result) => result.status !== 200)
    expect(failed.slice(0, 5), `${failed.length} sends were not answered 200`).toEqual([])
    expect(answers.size).toBe(2_000)
    expect(sent.size).toBe(2_000)
    const duplicates = [...sent.values()].filter((messages) => messages.length > 1)
    expect(duplicates.length, "keys sent to OneRoute more than once").toBe(0)
    expect(emulator.sent().length).toBe(2_000)
    for (const [key, keyResults] of answers) {
      const ids = new Set(keyResults.map((result) => result.body.data?.id))
      expect([...ids], key).toEqual([sent.get(key)![0]!.id])
      expect(new Set(keyResults.map((result) => result.instance)).size, key).toBe(2)
    }
    const concurrent = overlapping(answers)
    expect(concurrent, "keys whose repeats were in flight together").toBeGreaterThan(0)
    console.log(
      `steady: ${results.length} sends, ${answers.size} keys, ${emulator.sent().length} messages sent, ` +
        `${duplicates.length} duplicates, ${concurrent} keys with concurrent repeats`
    )
  })

  it("Redis stopped mid-run: every send that was not a success was refused as not-sent, none sent without a reservation", async () => {
    const before = emulator.sent().length
    const sends = plan("outage", 800, () => 2, 2)
    let stopped: Promise<void> | undefined
    let doneAtStop = 0
    // Short enough that the default client's sends after the stop end soon, long enough for a busy machine.
    const results = await run(await startPair("2 seconds"), sends, (_, done) => {
      if (done === 400 && stopped === undefined) {
        doneAtStop = done
        stopped = redis.stop()
      }
    })
    await stopped
    const answers = byKey(results)
    const sent = byKey(sentFor("outage"))

    const successes = results.filter((result) => result.status === 200)
    const refusals = results.filter((result) => result.status !== 200)
    // Each refusal says nothing was sent (the store's 503, or another not-sent refusal).
    for (const result of refusals) {
      expect(result.body.success, JSON.stringify(result)).toBe(false)
      expect(result.body.error?.sendOutcome, JSON.stringify(result)).toBe("not-sent")
    }
    const unavailable = refusals.filter((result) => result.status === 503).length
    expect(unavailable, "sends after the stop were refused with 503").toBeGreaterThan(0)
    // Both clients: the fail-fast one refuses at once, the default one after the store's timeout.
    expect(new Set(refusals.map((result) => result.instance))).toEqual(new Set([0, 1]))
    expect(successes.length, "sends before the stop succeeded").toBeGreaterThan(0)

    // Nothing reached OneRoute without a reservation: the messages are exactly the keys answered 200.
    const answeredKeys = new Set(successes.map((result) => result.key))
    expect(emulator.sent().length - before).toBe(answeredKeys.size)
    expect(new Set(sent.keys())).toEqual(answeredKeys)
    const duplicates = [...sent.values()].filter((messages) => messages.length > 1)
    expect(duplicates.length).toBe(0)
    for (const key of answeredKeys) {
      const ids = new Set(
        answers
          .get(key)!
          .filter((r) => r.status === 200)
          .map((r) => r.body.data?.id)
      )
      expect([...ids], key).toEqual([sent.get(key)![0]!.id])
    }
    console.log(
      `outage: ${results.length} sends (Redis stopped after ${doneAtStop}), ${successes.length} answered 200 ` +
        `for ${answeredKeys.size} keys, ${refusals.length} refused (${unavailable} with 503), ` +
        `${emulator.sent().length - before} messages sent, ${duplicates.length} duplicates`
    )
  })
})

/** Waits until every instance's client is connected again (ioredis reconnects by itself). */
const reconnected = async (instances: ReadonlyArray<Instance>) => {
  while (instances.some((instance) => instance.redis.status !== "ready")) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The end of the store's quarantine (Redis's clock, ms), read from its sentinel key. */
const quarantineEnd = async (url: string, keyPrefix = "oneroute:idempotency:"): Promise<number> => {
  const client = new Redis(url)
  try {
    const sentinel = JSON.parse((await client.get(`${keyPrefix}store sentinel`)) ?? "null")
    return Number(sentinel?.quarantineUntil ?? 0)
  } finally {
    client.disconnect()
  }
}

describe("Redis loses its data while two relay instances use it", { timeout: LONG }, () => {
  let emulator: Emulator
  const opened: Array<{ close: () => Promise<void> } | { stop: () => Promise<void> }> = []

  beforeAll(async () => {
    emulator = await startEmulator()
    for (const customer of CUSTOMERS) emulator.receiveInbound({ from: customer, to: BUSINESS })
  })
  afterAll(async () => {
    for (const item of opened.reverse()) await ("close" in item ? item.close() : item.stop())
    await emulator?.close()
  })

  const pairOn = async (server: RedisServer, storeOptions: Omit<RedisStoreOptions, "redis">) => {
    const pair = [
      await startInstance(emulator, server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }, storeOptions),
      await startInstance(emulator, server.url, {}, storeOptions)
    ]
    opened.push(...pair)
    return pair
  }

  const sentFor = (prefix: string) =>
    byKey(
      emulator
        .sent()
        .filter((message) => keyOf(message.message).startsWith(`${prefix}-`))
        .map((message) => ({ ...message, key: keyOf(message.message) }))
    )

  /** Each first send answered 200, then the same key repeated on the other instance. */
  const firstSends = (prefix: string, keys: number, seed: number) => plan(prefix, keys, () => 1, seed)
  const repeatsOf = (sends: ReadonlyArray<Send>) => sends.map((send) => ({ ...send, instance: 1 - send.instance }))

  it("killed (SIGKILL) and restarted empty: every repeat within the quarantine is refused 503 not-sent, no second copy", async () => {
    const server = await startRedis()
    opened.push(server)
    const instances = await pairOn(server, {
      durability: "best-effort",
      ttl: "20 seconds",
      operationTimeout: "10 seconds"
    })
    const sends = firstSends("empty", 150, 3)
    const first = await run(instances, sends)
    expect(first.filter((result) => result.status !== 200).slice(0, 3)).toEqual([])
    expect(sentFor("empty").size).toBe(150)

    await server.restart()
    await reconnected(instances)
    const repeats = await run(instances, repeatsOf(sends))
    const until = await quarantineEnd(server.url)
    expect(until, "the store started a quarantine").toBeGreaterThan(0)
    const inQuarantine = repeats.filter((result) => result.at < until)
    for (const result of inQuarantine) {
      expect(result.status, JSON.stringify(result)).toBe(503)
      expect(result.body.error?.sendOutcome).toBe("not-sent")
      expect(result.body.error?.reason).toBe("relay-store-unavailable")
    }
    // Both instances noticed: the quarantine is in the shared sentinel.
    expect(new Set(inQuarantine.map((result) => result.instance)).size).toBe(2)
    const sent = sentFor("empty")
    const copies = [...sent.values()].filter((messages) => messages.length > 1).length
    // A repeat that started after the quarantine (a machine stalled for the whole TTL) may send again, as after any TTL.
    if (inQuarantine.length === repeats.length) expect(copies, "keys sent twice").toBe(0)

    // After the quarantine, new keys are sent again.
    while (Date.now() <= until) await new Promise((resolve) => setTimeout(resolve, 200))
    const [after] = await run(instances, [{ key: "empty-after", to: CUSTOMERS[0]!, instance: 0 }])
    expect(after!.status).toBe(200)
    console.log(
      `restart without data: 150 sent, ${repeats.length} repeats after the restart, ` +
        `${inQuarantine.filter((result) => result.status === 503).length} refused 503 within the quarantine ` +
        `(${until - Math.min(...repeats.map((result) => result.at))} ms left at the first repeat), ` +
        `${copies} second copies; a new key after the quarantine: ${after!.status}`
    )
  })

  it("killed and restarted with AOF (appendfsync always): repeats get the first answer, no second copy", async () => {
    const server = await startRedis({ durable: true })
    opened.push(server)
    // durability: "required" (the default): this server passes the check.
    const instances = await pairOn(server, { operationTimeout: "10 seconds" })
    const sends = firstSends("aof", 150, 4)
    const first = await run(instances, sends)
    expect(first.filter((result) => result.status !== 200).slice(0, 3)).toEqual([])
    const ids = new Map(first.map((result) => [result.key, result.body.data?.id]))

    await server.restart()
    await reconnected(instances)
    const repeats = await run(instances, repeatsOf(sends))
    for (const result of repeats) {
      expect(result.status, JSON.stringify(result)).toBe(200)
      expect(result.body.data?.id).toBe(ids.get(result.key))
    }
    const sent = sentFor("aof")
    expect(sent.size).toBe(150)
    const copies = [...sent.values()].filter((messages) => messages.length > 1).length
    expect(copies).toBe(0)
    // No quarantine: a restart of a server with appendfsync always keeps every write.
    const [fresh] = await run(instances, [{ key: "aof-new", to: CUSTOMERS[0]!, instance: 1 }])
    expect(fresh!.status).toBe(200)
    console.log(
      `restart with AOF: 150 sent, ${repeats.length} repeats answered 200 with the first id, ${copies} second copies`
    )
  })

  it("FLUSHALL in the middle of a run: repeats and new keys are refused 503 not-sent, no second copy", async () => {
    const server = await startRedis()
    opened.push(server)
    const instances = await pairOn(server, {
      durability: "best-effort",
      ttl: "5 minutes",
      operationTimeout: "10 seconds"
    })
    const admin = new Redis(server.url)
    opened.push({ close: async () => admin.disconnect() })
    const sends = plan("flush", 300, () => 2, 5)
    let flushed: Promise<unknown> | undefined
    const results = await run(instances, sends, (_, done) => {
      if (done === 200 && flushed === undefined) flushed = admin.flushall()
    })
    await flushed
    const until = await quarantineEnd(server.url)
    expect(until).toBeGreaterThan(0)
    const refused = results.filter((result) => result.status !== 200)
    for (const result of refused) {
      expect(result.status, JSON.stringify(result)).toBe(503)
      expect(result.body.error?.sendOutcome).toBe("not-sent")
    }
    expect(refused.length).toBeGreaterThan(0)
    const sent = sentFor("flush")
    const late = new Set(results.filter((result) => result.at >= until).map((result) => result.key))
    const copies = [...sent.entries()].filter(([key, messages]) => messages.length > 1 && !late.has(key)).length
    expect(copies).toBe(0)
    // Nothing was sent without an answer 200 to one of its sends.
    const answered = new Set(results.filter((result) => result.status === 200).map((result) => result.key))
    for (const key of sent.keys()) expect(answered.has(key), key).toBe(true)
    console.log(
      `FLUSHALL after 200 of ${results.length} sends: ${results.length - refused.length} answered 200, ` +
        `${refused.length} refused 503, ${[...sent.values()].reduce((n, m) => n + m.length, 0)} messages for ${sent.size} keys, ` +
        `${copies} second copies`
    )
  })
})
