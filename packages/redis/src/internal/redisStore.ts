import { createHash, randomUUID } from "node:crypto"
import { IdempotencyStore, InvalidOptionsError } from "@oneroute/core/effect"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { Cluster } from "ioredis"
import { RedisDataLossError, RedisNotDurableError } from "../errors.js"
import type { RedisClient, RedisStore, RedisStoreOptions } from "../RedisStore.js"

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

/**
 * Runs first in every script: checks the store's sentinel (KEYS[2], no TTL) and Redis's run_id,
 * and starts a quarantine of one TTL when they show that Redis lost data. ARGV[1] is the epoch
 * this instance last saw ("" before its first script), ARGV[2] a fresh epoch, ARGV[3] the TTL in
 * ms, ARGV[4] "1" when a restart keeps every write (appendfsync always). Returns the sentinel
 * and Redis's time in ms.
 */
const GUARD = `
local function guard()
  local known, fresh, ttl, trust = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
  local time = redis.call("TIME")
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local runId = string.match(redis.call("INFO", "server"), "run_id:(%x+)") or ""
  local raw = redis.call("GET", KEYS[2])
  local sentinel = nil
  if raw then
    local ok, decoded = pcall(cjson.decode, raw)
    if ok and type(decoded) == "table" and type(decoded.epoch) == "string" then sentinel = decoded end
  end
  local reason = nil
  if sentinel == nil then
    if not raw and known == "" then
      -- The first script this instance runs finds no sentinel: a new store (see ready()).
      sentinel = { epoch = fresh, runId = runId, quarantineUntil = 0 }
      redis.call("SET", KEYS[2], cjson.encode(sentinel))
      return sentinel, now
    end
    reason = raw and "unreadable" or "missing"
  elseif known ~= "" and sentinel.epoch ~= known and (tonumber(sentinel.quarantineUntil) or 0) == 0 then
    -- Another instance made a new sentinel without a quarantine: it found none on its first script.
    reason = "replaced"
  elseif sentinel.runId ~= runId then
    if trust == "1" then
      sentinel.runId = runId
      redis.call("SET", KEYS[2], cjson.encode(sentinel))
    else
      reason = "restarted"
    end
  end
  if reason then
    sentinel = { epoch = fresh, runId = runId, quarantineUntil = now + ttl, reason = reason, detectedAt = now }
    redis.call("SET", KEYS[2], cjson.encode(sentinel))
  end
  return sentinel, now
end
`

/** Only the guard: the sentinel's epoch, the end of a quarantine (0 for none), Redis's time. */
const TOUCH = `${GUARD}
local sentinel, now = guard()
return { sentinel.epoch, tostring(tonumber(sentinel.quarantineUntil) or 0), tostring(now) }
`

/**
 * Takes KEYS[1] for the marker ARGV[5] (lease: the TTL), or returns what it holds. During a
 * quarantine a key that is still there is answered, a missing one is refused.
 */
const RESERVE = `${GUARD}
local sentinel, now = guard()
local current = redis.call("GET", KEYS[1])
if current then return { "found", sentinel.epoch, current } end
local quarantineUntil = tonumber(sentinel.quarantineUntil) or 0
if now < quarantineUntil then
  return { "quarantined", sentinel.epoch, tostring(quarantineUntil), sentinel.reason or "" }
end
redis.call("SET", KEYS[1], ARGV[5], "PX", ARGV[3])
return { "reserved", sentinel.epoch }
`

/** Replaces the caller's own in-flight marker (token ARGV[5]) with the answer ARGV[6], kept for the TTL. */
const COMPLETE = `${GUARD}
guard()
local current = redis.call("GET", KEYS[1])
if not current then return 0 end
local ok, entry = pcall(cjson.decode, current)
if not ok or type(entry) ~= "table" or entry.state ~= "in-flight" or entry.token ~= ARGV[5] then return 0 end
redis.call("SET", KEYS[1], cjson.encode({ state = "answered", fingerprint = entry.fingerprint, answer = ARGV[6] }), "PX", ARGV[3])
return 1
`

/** Deletes the caller's own in-flight marker (token ARGV[5]); answers and others' markers stay. */
const RELEASE = `${GUARD}
guard()
local current = redis.call("GET", KEYS[1])
if not current then return 0 end
local ok, entry = pcall(cjson.decode, current)
if not ok or type(entry) ~= "table" or entry.state ~= "in-flight" or entry.token ~= ARGV[5] then return 0 end
redis.call("DEL", KEYS[1])
return 1
`

const millisOf = (option: string, input: Duration.DurationInput | undefined, fallback: Duration.Duration): number => {
  const decoded = input === undefined ? Option.some(fallback) : Duration.decodeUnknown(input)
  const millis = Option.isSome(decoded) ? Duration.toMillis(decoded.value) : Number.NaN
  if (!Number.isFinite(millis) || millis < 1) {
    throw new InvalidOptionsError({ option, problem: "must be a finite duration of at least 1 millisecond" })
  }
  return Math.ceil(millis)
}

const isNoScript = (error: unknown): boolean => error instanceof Error && error.message.startsWith("NOSCRIPT")

/** What the durability check found on one server. */
interface Durability {
  readonly problems: ReadonlyArray<string>
  /** `appendfsync always`: a restart keeps every write. */
  readonly keepsEveryWrite: boolean
}

const infoField = (info: string, field: string): string | undefined =>
  new RegExp(`^${field}:(.*)$`, "m").exec(info)?.[1]?.trim()

type ConfigNode = Pick<RedisClient, "config" | "info">

/** Reads the server's settings: CONFIG GET, or INFO where CONFIG is forbidden (managed Redis). */
const settingsOf = async (
  node: ConfigNode
): Promise<{ appendonly: string; appendfsync?: string; maxmemory: string; policy: string }> => {
  try {
    const get = async (name: string) => {
      const reply = (await node.config("GET", name)) as unknown as ReadonlyArray<string>
      const value = reply[1]
      if (value === undefined) throw new Error(`CONFIG GET ${name} gave no value`)
      return value
    }
    const [appendonly, appendfsync, maxmemory, policy] = await Promise.all(
      ["appendonly", "appendfsync", "maxmemory", "maxmemory-policy"].map(get)
    )
    return { appendonly: appendonly!, appendfsync: appendfsync!, maxmemory: maxmemory!, policy: policy! }
  } catch (error) {
    // A refused or renamed CONFIG is a reply error; a lost connection is not, and fails the check.
    if (!(error instanceof Error) || error.name !== "ReplyError") throw error
    const [persistence, memory] = await Promise.all([node.info("persistence"), node.info("memory")])
    return {
      appendonly: infoField(persistence, "aof_enabled") === "1" ? "yes" : "no",
      maxmemory: infoField(memory, "maxmemory") ?? "",
      policy: infoField(memory, "maxmemory_policy") ?? ""
    }
  }
}

const durabilityOf = async (node: ConfigNode): Promise<Durability> => {
  const settings = await settingsOf(node)
  const problems: Array<string> = []
  if (settings.appendonly !== "yes") {
    problems.push(
      "appendonly is off, so a restart forgets every key written since the last snapshot (set appendonly yes)"
    )
  } else if (settings.appendfsync === "no") {
    problems.push("appendfsync is no, so a crash can lose about 30 s of writes (set appendfsync everysec or always)")
  }
  // Every idempotency key has a TTL, so volatile-* policies may evict them as readily as allkeys-*.
  if (settings.maxmemory !== "0" && settings.policy !== "noeviction") {
    problems.push(
      `maxmemory-policy is ${settings.policy || "unknown"} with a memory limit, so Redis may evict remembered keys ` +
        "(set maxmemory-policy noeviction: a full Redis then refuses writes, and the relay refuses sends)"
    )
  }
  return { problems, keepsEveryWrite: problems.length === 0 && settings.appendfsync === "always" }
}

/** Every primary of a Cluster, or the one server. */
const nodesOf = (redis: RedisClient): ReadonlyArray<ConfigNode> =>
  isCluster(redis) ? (redis as Cluster).nodes("master") : [redis]

const isCluster = (redis: RedisClient): boolean => (redis as { isCluster?: boolean }).isCluster === true

/** A `{…}` hash tag puts every key of the prefix (and the sentinel) into one Cluster slot. */
const hasHashTag = (prefix: string): boolean => /\{[^}]+\}/.test(prefix)

export const makeRedisStore = (options: RedisStoreOptions): RedisStore => {
  const { redis } = options
  if (typeof redis?.evalsha !== "function" || typeof redis.eval !== "function" || typeof redis.info !== "function") {
    throw new InvalidOptionsError({
      option: "redis",
      problem: "must be an ioredis client (new Redis(…) or new Cluster(…))"
    })
  }
  const ttl = millisOf("ttl", options.ttl, Duration.minutes(10))
  const timeout = millisOf("operationTimeout", options.operationTimeout, Duration.seconds(2))
  const prefix = options.keyPrefix ?? "oneroute:idempotency:"
  const durability = options.durability ?? "required"
  if (durability !== "required" && durability !== "best-effort") {
    throw new InvalidOptionsError({ option: "durability", problem: 'must be "required" or "best-effort"' })
  }
  if (isCluster(redis) && !hasHashTag(prefix)) {
    throw new InvalidOptionsError({
      option: "keyPrefix",
      problem:
        'with a Cluster it must hold a hash tag, such as "{oneroute}:idempotency:", so that every key and the store\'s sentinel live on one primary'
    })
  }
  // No relay key contains a space (they are printable ASCII without it).
  const sentinelKey = `${prefix}store sentinel`

  const script = (source: string) => ({ source, sha: createHash("sha1").update(source).digest("hex") })
  const scripts = {
    touch: script(TOUCH),
    reserve: script(RESERVE),
    complete: script(COMPLETE),
    release: script(RELEASE)
  }

  /** The sentinel's epoch this instance last saw ("" before its first script). */
  let knownEpoch = ""
  /** Whether a restart keeps every write, so that a new run_id alone is no loss. */
  let trustRestart = false

  /** EVALSHA, loading the script with EVAL the first time a server has not seen it. */
  const runScript = async (
    { source, sha }: { source: string; sha: string },
    key: string,
    ...args: Array<string | number>
  ): Promise<unknown> => {
    const all = [knownEpoch, randomUUID(), ttl, trustRestart ? "1" : "0", ...args]
    try {
      return await redis.evalsha(sha, 2, key, sentinelKey, ...all)
    } catch (error) {
      if (!isNoScript(error)) throw error
      return await redis.eval(source, 2, key, sentinelKey, ...all)
    }
  }

  const dataLoss = (until: string, reason: string) =>
    new RedisDataLossError({ reason: reason || "missing", quarantinedUntil: new Date(Number(until)) })

  /** The start check: durability (unless best-effort), then the sentinel. Once, until it succeeds. */
  let started: Promise<void> | undefined
  const start = (): Promise<void> => {
    started ??= (async () => {
      if (durability === "required") {
        const found = await Promise.all(nodesOf(redis).map(durabilityOf))
        const problems = [...new Set(found.flatMap((node) => node.problems))]
        if (problems.length > 0) throw new RedisNotDurableError({ problems })
        trustRestart = found.every((node) => node.keepsEveryWrite)
      }
      const [epoch] = (await runScript(scripts.touch, sentinelKey)) as [string, string, string]
      knownEpoch = epoch
    })().catch((error) => {
      started = undefined
      throw error
    })
    return started
  }

  /** One store operation: every Redis error, and no answer within the timeout, is an `IdempotencyStoreError`. */
  const operation = <A>(
    name: Operation,
    run: () => Promise<A>
  ): Effect.Effect<A, IdempotencyStore.IdempotencyStoreError> =>
    Effect.tryPromise({
      try: async () => {
        await start()
        return await run()
      },
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
    // The marker's lease is the TTL: a reservation whose `complete` failed blocks repeats until then.
    const marker = JSON.stringify({ state: "in-flight", fingerprint, token })
    const [status, epoch, a, b] = (await runScript(scripts.reserve, key, marker)) as [string, string, string, string]
    knownEpoch = epoch
    if (status === "reserved") return { _tag: "Reserved", token }
    if (status === "found") return classify(key, a, fingerprint)
    throw dataLoss(a, b)
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
        // A script that timed out (or lost its connection) may still run later, for example
        // from ioredis's offline queue. The relay sends nothing on this failure, so remove that
        // marker again: the delete is queued behind the script on the same connection.
        Effect.tapError((error) => (error.cause instanceof RedisDataLossError ? Effect.void : abandon(redisKey, token)))
      )
    },
    complete: (key, token, answer) =>
      operation("complete", () => runScript(scripts.complete, prefix + key, token, JSON.stringify(answer))).pipe(
        Effect.asVoid
      ),
    release: (key, token) =>
      operation("release", () => runScript(scripts.release, prefix + key, token)).pipe(Effect.asVoid),
    ready: async () => {
      const exit = await Effect.runPromiseExit(operation("reserve", async () => undefined))
      if (Exit.isSuccess(exit)) return
      const error = Cause.squash(exit.cause)
      throw error instanceof IdempotencyStore.IdempotencyStoreError && error.cause instanceof RedisNotDurableError
        ? error.cause
        : error
    }
  }
}
