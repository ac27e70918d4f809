import { createHash } from "node:crypto"
import { InvalidOptionsError, type WindowRecord, type WindowStore, WindowStoreError } from "@oneroute/core"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type { RedisWindowClient, RedisWindowStoreOptions } from "../RedisWindowStore.js"
import { CONVERSATION_INBOUND, RECORD } from "./windowStoreScripts.js"

const FIELDS = ["inboundAt", "closedAt", "sentAt"] as const

const isCluster = (redis: RedisWindowClient): boolean => (redis as { isCluster?: boolean }).isCluster === true

const timeoutMillis = (input: Duration.DurationInput | undefined): number => {
  const decoded = input === undefined ? Option.some(Duration.seconds(2)) : Duration.decodeUnknown(input)
  const millis = Option.isSome(decoded) ? Duration.toMillis(decoded.value) : Number.NaN
  if (!Number.isFinite(millis) || millis < 1 || millis > 2 ** 31 - 1) {
    throw new InvalidOptionsError({
      option: "operationTimeout",
      problem: "must be a finite duration from 1 millisecond to about 24 days"
    })
  }
  return Math.ceil(millis)
}

/** A Redis failure as the tracker reports it: out of memory is `full` (refused, nothing forgotten). */
const storeError = (cause: unknown): WindowStoreError =>
  new WindowStoreError({
    reason: cause instanceof Error && cause.message.startsWith("OOM") ? "full" : "unavailable",
    cause
  })

/** A stored field back as a time; anything else is a failure (so `status` says `unknown`). */
const timeOf = (field: string, value: string | null): number | undefined => {
  if (value === null) return undefined
  const time = Number(value)
  if (!/^-?\d{1,16}$/.test(value) || !Number.isSafeInteger(time))
    throw new Error(`${field} holds ${JSON.stringify(value.slice(0, 40))}, not a time`)
  return time
}

export const makeRedisWindowStore = (options: RedisWindowStoreOptions): WindowStore => {
  const { redis } = options
  if (typeof redis?.evalsha !== "function" || typeof redis.eval !== "function" || typeof redis.hmget !== "function") {
    throw new InvalidOptionsError({
      option: "redis",
      problem: "must be an ioredis client (new Redis(…) or new Cluster(…))"
    })
  }
  const prefix = options.keyPrefix ?? "oneroute:windows:"
  if (isCluster(redis) && !/\{[^}]+\}/.test(prefix)) {
    throw new InvalidOptionsError({
      option: "keyPrefix",
      problem:
        'with a Cluster it must hold a hash tag, such as "{oneroute}:windows:", so that a conversation and its pair live on one primary'
    })
  }
  const timeout = timeoutMillis(options.operationTimeout)
  const pairKey = (pair: string) => `${prefix}pair:${pair}`
  const conversationKey = (id: string) => `${prefix}conversation:${id}`

  /** Every Redis error, and no answer within the timeout, is a `WindowStoreError`. */
  const operation = async <A>(run: () => Promise<A>): Promise<A> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeout} ms`)), timeout)
    })
    try {
      return await Promise.race([run(), timedOut])
    } catch (cause) {
      throw storeError(cause)
    } finally {
      clearTimeout(timer)
    }
  }

  const script = (source: string) => ({ source, sha: createHash("sha1").update(source).digest("hex") })
  const scripts = { record: script(RECORD), conversationInbound: script(CONVERSATION_INBOUND) }

  /** EVALSHA, loading the script with EVAL the first time a server has not seen it. */
  const runScript = async (
    { source, sha }: { source: string; sha: string },
    keys: ReadonlyArray<string>,
    args: ReadonlyArray<string>
  ): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error
      return await redis.eval(source, keys.length, ...keys, ...args)
    }
  }

  const time = (value: number | undefined) => (value === undefined ? "" : String(Math.floor(value)))
  const retention = (retainMs: number) => String(Math.max(1, Math.ceil(retainMs)))

  // A script that timed out may still run later (from ioredis's offline queue): harmless, as every
  // write only keeps a later time of something that happened.
  return {
    record: (pair, update) =>
      operation(() =>
        runScript(
          scripts.record,
          update.conversationId === undefined
            ? [pairKey(pair)]
            : [pairKey(pair), conversationKey(update.conversationId)],
          [time(update.inboundAt), time(update.closedAt), time(update.sentAt), retention(update.retainMs), pair]
        )
      ).then(() => undefined),
    recordConversationInbound: (conversationId, at, retainMs) =>
      operation(async () => {
        const linked = await runScript(
          scripts.conversationInbound,
          [conversationKey(conversationId)],
          [time(at), retention(retainMs)]
        )
        if (typeof linked !== "string") return "pending" as const
        await runScript(scripts.record, [pairKey(linked)], [time(at), "", "", retention(retainMs), linked])
        return "applied" as const
      }),
    read: (pair) =>
      operation(async () => {
        const values = await redis.hmget(pairKey(pair), ...FIELDS)
        if (values.every((value) => value === null)) return undefined
        const record: Record<string, number> = {}
        FIELDS.forEach((field, index) => {
          const value = timeOf(field, values[index] ?? null)
          if (value !== undefined) record[field] = value
        })
        return record as WindowRecord
      })
  }
}
