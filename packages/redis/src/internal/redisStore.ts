import { createHash, randomUUID } from "node:crypto"
import { IdempotencyStore, InvalidOptionsError } from "@oneroute/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { RedisStoreOptions } from "../RedisStore.js"

type Operation = IdempotencyStore.IdempotencyStoreError["operation"]

const StoredAnswer = Schema.Struct({
  status: Schema.Number,
  headers: Schema.Record({ key: Schema.String, value: Schema.String }),
  body: Schema.String
})

/**
 * What a key holds. The answer is kept as its own JSON text inside the entry, so the Lua
 * scripts never re-encode it (cjson would turn empty `headers` into an array).
 */
const Entry = Schema.Union(
  Schema.Struct({ state: Schema.Literal("in-flight"), fingerprint: Schema.String, token: Schema.String }),
  Schema.Struct({
    state: Schema.Literal("answered"),
    fingerprint: Schema.String,
    answer: Schema.parseJson(StoredAnswer)
  })
)
const decodeEntry = Schema.decodeUnknownEither(Schema.parseJson(Entry))

/** Replaces the caller's own in-flight marker (same token) with the answer, kept for the TTL. */
const COMPLETE = `
local current = redis.call("GET", KEYS[1])
if not current then return 0 end
local ok, entry = pcall(cjson.decode, current)
if not ok or type(entry) ~= "table" or entry.state ~= "in-flight" or entry.token ~= ARGV[1] then return 0 end
redis.call("SET", KEYS[1], cjson.encode({ state = "answered", fingerprint = entry.fingerprint, answer = ARGV[2] }), "PX", ARGV[3])
return 1
`

/** Deletes the caller's own in-flight marker (same token); answers and others' markers stay. */
const RELEASE = `
local current = redis.call("GET", KEYS[1])
if not current then return 0 end
local ok, entry = pcall(cjson.decode, current)
if not ok or type(entry) ~= "table" or entry.state ~= "in-flight" or entry.token ~= ARGV[1] then return 0 end
redis.call("DEL", KEYS[1])
return 1
`

/** How often `reserve` tries again when the key expired between its `SET NX` and its `GET`. */
const RESERVE_ATTEMPTS = 3

const millisOf = (option: string, input: Duration.DurationInput | undefined, fallback: Duration.Duration): number => {
  const decoded = input === undefined ? Option.some(fallback) : Duration.decodeUnknown(input)
  const millis = Option.isSome(decoded) ? Duration.toMillis(decoded.value) : Number.NaN
  if (!Number.isFinite(millis) || millis < 1) {
    throw new InvalidOptionsError({ option, problem: "must be a finite duration of at least 1 millisecond" })
  }
  return Math.ceil(millis)
}

const isNoScript = (error: unknown): boolean => error instanceof Error && error.message.startsWith("NOSCRIPT")

export const makeRedisStore = (options: RedisStoreOptions): IdempotencyStore.IdempotencyStore => {
  const { redis } = options
  if (typeof redis?.set !== "function" || typeof redis.evalsha !== "function") {
    throw new InvalidOptionsError({
      option: "redis",
      problem: "must be an ioredis client (new Redis(…) or new Cluster(…))"
    })
  }
  const ttl = millisOf("ttl", options.ttl, Duration.minutes(10))
  const timeout = millisOf("operationTimeout", options.operationTimeout, Duration.seconds(2))
  const prefix = options.keyPrefix ?? "oneroute:idempotency:"

  const scripts = {
    complete: { source: COMPLETE, sha: createHash("sha1").update(COMPLETE).digest("hex") },
    release: { source: RELEASE, sha: createHash("sha1").update(RELEASE).digest("hex") }
  }

  /** EVALSHA, loading the script with EVAL the first time a server has not seen it. */
  const runScript = async (script: { source: string; sha: string }, key: string, ...args: Array<string | number>) => {
    try {
      return await redis.evalsha(script.sha, 1, key, ...args)
    } catch (error) {
      if (!isNoScript(error)) throw error
      return await redis.eval(script.source, 1, key, ...args)
    }
  }

  /** One store operation: every Redis error, and no answer within the timeout, is an `IdempotencyStoreError`. */
  const operation = <A>(
    name: Operation,
    run: () => Promise<A>
  ): Effect.Effect<A, IdempotencyStore.IdempotencyStoreError> =>
    Effect.tryPromise({
      try: run,
      catch: (cause) => new IdempotencyStore.IdempotencyStoreError({ operation: name, cause })
    }).pipe(
      Effect.timeoutFail({
        duration: Duration.millis(timeout),
        onTimeout: () =>
          new IdempotencyStore.IdempotencyStoreError({
            operation: name,
            cause: new Error(`Redis did not answer within ${timeout} ms`)
          })
      })
    )

  const classify = (key: string, stored: string, fingerprint: string): IdempotencyStore.Reservation => {
    const entry = decodeEntry(stored)
    if (Either.isLeft(entry)) throw new Error(`${key} holds a value that is not an idempotency entry`)
    if (entry.right.fingerprint !== fingerprint) return { _tag: "Conflict" }
    return entry.right.state === "in-flight" ? { _tag: "InFlight" } : { _tag: "Answered", answer: entry.right.answer }
  }

  const reserve = async (key: string, fingerprint: string, token: string): Promise<IdempotencyStore.Reservation> => {
    const marker = JSON.stringify({ state: "in-flight", fingerprint, token })
    for (let attempt = 1; attempt <= RESERVE_ATTEMPTS; attempt++) {
      // The marker's lease is the TTL: a reservation whose `complete` failed blocks repeats until then.
      if ((await redis.set(key, marker, "PX", ttl, "NX")) === "OK") return { _tag: "Reserved", token }
      const stored = await redis.get(key)
      // `null`: the entry expired between SET NX and GET, so try to take the key again.
      if (stored !== null) return classify(key, stored, fingerprint)
    }
    throw new Error(`${key} expired between SET NX and GET ${RESERVE_ATTEMPTS} times`)
  }

  /** Deletes a reservation this process may have made but cannot report (fire and forget). */
  const abandon = (key: string, token: string) =>
    Effect.sync(() => {
      runScript(scripts.release, key, token).catch(() => undefined)
    })

  return {
    reserve: (key, fingerprint) => {
      const token = randomUUID()
      const redisKey = prefix + key
      return operation("reserve", () => reserve(redisKey, fingerprint, token)).pipe(
        // A SET that timed out (or lost its connection) may still be applied later, for example
        // from ioredis's offline queue. The relay sends nothing on this failure, so remove that
        // marker again: the delete is queued behind the SET on the same connection.
        Effect.tapError(() => abandon(redisKey, token))
      )
    },
    complete: (key, token, answer) =>
      operation("complete", () => runScript(scripts.complete, prefix + key, token, JSON.stringify(answer), ttl)).pipe(
        Effect.asVoid
      ),
    release: (key, token) =>
      operation("release", () => runScript(scripts.release, prefix + key, token)).pipe(Effect.asVoid)
  }
}
