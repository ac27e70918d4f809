import { createHash } from "node:crypto"
import type { Cluster, Redis } from "ioredis"

/**
 * The ledger of a campaign: three Redis keys sharing one hash tag (one Cluster slot).
 * - `entries`: a hash, message key → its state, written before the request leaves:
 *   `r|<generation>` reserved (waiting for an attempt), `i|<generation>|<token>` in flight
 *   (the attempt with that token may have sent it), `s` sent, `n` certainly not sent (final),
 *   `u|<generation>|<token>` parked as unknown.
 * - `counts`: a hash of `total`, `sent`, `notSent`, `unknown`, changed by the same scripts.
 * - `parked`: a hash, message key → JSON (the recipient and why), for review and resend.
 * Every script refreshes the three keys' expiry to the retention (ARGV[1]).
 */
const KEEP = `
local function keep()
  for i = 1, 3 do redis.call("PEXPIRE", KEYS[i], ARGV[1]) end
end
local function parse(entry)
  local state, generation, token = string.match(entry, "^(%a)|(%d+)|?(.*)$")
  return state or entry, tonumber(generation), token
end
`

/** ARGV[2..]: keys. Records the new ones as reserved; answers per key `new`, `r|<generation>` (still waiting) or `known`. */
const RESERVE = `${KEEP}
local out, added = {}, 0
for i = 2, #ARGV do
  local current = redis.call("HGET", KEYS[1], ARGV[i])
  if not current then
    redis.call("HSET", KEYS[1], ARGV[i], "r|0")
    added = added + 1
    out[#out + 1] = "new"
  elseif string.sub(current, 1, 2) == "r|" then
    out[#out + 1] = current
  else
    out[#out + 1] = "known"
  end
end
if added > 0 then redis.call("HINCRBY", KEYS[2], "total", added) end
keep()
return out
`

/**
 * ARGV[2] key, ARGV[3] generation, ARGV[4] token, ARGV[5] the parked record should another
 * attempt hold it. Answers `go` (now in flight with this token), `missing`, `stale` (an older
 * job), `done` (settled before) or `parked` (another attempt of this generation was in flight:
 * it may have sent it).
 */
const BEGIN = `${KEEP}
local current = redis.call("HGET", KEYS[1], ARGV[2])
if not current then return "missing" end
local state, generation, token = parse(current)
if state == "r" or state == "i" then
  if generation ~= tonumber(ARGV[3]) then return "stale" end
  if state == "r" then
    redis.call("HSET", KEYS[1], ARGV[2], "i|" .. ARGV[3] .. "|" .. ARGV[4])
    keep()
    return "go"
  end
  -- ioredis resends a script whose reply a dropped connection lost: our own token is ours.
  if token == ARGV[4] then return "go" end
  redis.call("HSET", KEYS[1], ARGV[2], "u|" .. ARGV[3] .. "|" .. token)
  redis.call("HSET", KEYS[3], ARGV[2], ARGV[5])
  redis.call("HINCRBY", KEYS[2], "unknown", 1)
  keep()
  return "parked"
end
return "done"
`

/**
 * ARGV[2] key, ARGV[3] token, ARGV[4] outcome (`sent`, `not-sent`, `release`, `unknown`),
 * ARGV[5] the parked record for `unknown`. Changes only the caller's own attempt. A parked
 * entry that was this attempt's (another worker took the job while this one was still sending)
 * becomes sent when this attempt succeeded. Answers `ok`, `parked` (left parked) or `lost`.
 */
const FINISH = `${KEEP}
local current = redis.call("HGET", KEYS[1], ARGV[2])
if not current then return "lost" end
local state, generation, token = parse(current)
if token ~= ARGV[3] then return "lost" end
local outcome = ARGV[4]
if state == "u" then
  if outcome ~= "sent" then return "parked" end
  redis.call("HSET", KEYS[1], ARGV[2], "s")
  redis.call("HDEL", KEYS[3], ARGV[2])
  redis.call("HINCRBY", KEYS[2], "unknown", -1)
  redis.call("HINCRBY", KEYS[2], "sent", 1)
elseif state == "i" then
  if outcome == "sent" then
    redis.call("HSET", KEYS[1], ARGV[2], "s")
    redis.call("HINCRBY", KEYS[2], "sent", 1)
  elseif outcome == "not-sent" then
    redis.call("HSET", KEYS[1], ARGV[2], "n")
    redis.call("HINCRBY", KEYS[2], "notSent", 1)
  elseif outcome == "release" then
    redis.call("HSET", KEYS[1], ARGV[2], "r|" .. generation)
  else
    redis.call("HSET", KEYS[1], ARGV[2], "u|" .. generation .. "|" .. ARGV[3])
    redis.call("HSET", KEYS[3], ARGV[2], ARGV[5])
    redis.call("HINCRBY", KEYS[2], "unknown", 1)
  end
else
  return "lost"
end
keep()
return "ok"
`

/** ARGV[2] key, ARGV[3] `sent` or `resend`. Answers `{ "not-parked" }`, `{ "sent" }` or `{ "resend", generation, record }`. */
const RESOLVE = `${KEEP}
local current = redis.call("HGET", KEYS[1], ARGV[2])
if not current then return { "not-parked" } end
local state, generation = parse(current)
if state ~= "u" then return { "not-parked" } end
local record = redis.call("HGET", KEYS[3], ARGV[2])
redis.call("HDEL", KEYS[3], ARGV[2])
redis.call("HINCRBY", KEYS[2], "unknown", -1)
if ARGV[3] == "sent" then
  redis.call("HSET", KEYS[1], ARGV[2], "s")
  redis.call("HINCRBY", KEYS[2], "sent", 1)
  keep()
  return { "sent" }
end
local next = generation + 1
redis.call("HSET", KEYS[1], ARGV[2], "r|" .. next)
keep()
return { "resend", tostring(next), record or "" }
`

const script = (source: string) => ({ source, sha: createHash("sha1").update(source).digest("hex") })
const scripts = {
  reserve: script(RESERVE),
  begin: script(BEGIN),
  finish: script(FINISH),
  resolve: script(RESOLVE)
}

export type LedgerClient = Pick<Redis | Cluster, "eval" | "evalsha" | "hmget" | "hscan">

/** What an attempt found when it began. */
export type BeginResult = "go" | "missing" | "stale" | "done" | "parked"
/** How an attempt ended. */
export type Outcome = "sent" | "not-sent" | "release" | "unknown"
/** What `reserve` found for one key: new, still waiting (its generation), or settled or in flight. */
export type Reserved =
  | { readonly state: "new" }
  | { readonly state: "waiting"; readonly generation: number }
  | { readonly state: "known" }

/** A parked message as the ledger keeps it: the job's data (to resend it) and why. */
export interface ParkedRecord {
  readonly job: unknown
  readonly reason: string
  readonly detail: string
  readonly parkedAt: number
}

export interface Counts {
  readonly total: number
  readonly sent: number
  readonly notSent: number
  readonly unknown: number
}

export interface Ledger {
  readonly reserve: (campaignId: string, keys: ReadonlyArray<string>) => Promise<ReadonlyArray<Reserved>>
  readonly begin: (
    campaignId: string,
    key: string,
    generation: number,
    token: string,
    parked: ParkedRecord
  ) => Promise<BeginResult>
  readonly finish: (
    campaignId: string,
    key: string,
    token: string,
    outcome: Outcome,
    parked?: ParkedRecord
  ) => Promise<"ok" | "parked" | "lost">
  readonly resolve: (
    campaignId: string,
    key: string,
    decision: "sent" | "resend"
  ) => Promise<
    | { readonly state: "not-parked" | "sent" }
    | { readonly state: "resend"; readonly generation: number; readonly record: string }
  >
  readonly counts: (campaignId: string) => Promise<Counts>
  readonly parked: (campaignId: string, limit: number) => Promise<ReadonlyArray<[key: string, record: string]>>
}

const isNoScript = (error: unknown): boolean => error instanceof Error && error.message.startsWith("NOSCRIPT")

export const makeLedger = (redis: LedgerClient, prefix: string, retention: number): Ledger => {
  const keysOf = (campaignId: string) => {
    const base = `${prefix}{${campaignId}}:`
    return [`${base}entries`, `${base}counts`, `${base}parked`] as const
  }
  const run = async (
    { source, sha }: { source: string; sha: string },
    campaignId: string,
    ...args: Array<string | number>
  ): Promise<unknown> => {
    const keys = keysOf(campaignId)
    try {
      return await redis.evalsha(sha, 3, ...keys, retention, ...args)
    } catch (error) {
      if (!isNoScript(error)) throw error
      return await redis.eval(source, 3, ...keys, retention, ...args)
    }
  }
  return {
    reserve: async (campaignId, keys) => {
      if (keys.length === 0) return []
      const found = (await run(scripts.reserve, campaignId, ...keys)) as ReadonlyArray<string>
      return found.map((state): Reserved => {
        if (state === "new") return { state: "new" }
        if (state === "known") return { state: "known" }
        return { state: "waiting", generation: Number(state.slice(2)) }
      })
    },
    begin: async (campaignId, key, generation, token, parked) =>
      (await run(scripts.begin, campaignId, key, generation, token, JSON.stringify(parked))) as BeginResult,
    finish: async (campaignId, key, token, outcome, parked) =>
      (await run(
        scripts.finish,
        campaignId,
        key,
        token,
        outcome,
        parked === undefined ? "" : JSON.stringify(parked)
      )) as "ok" | "parked" | "lost",
    resolve: async (campaignId, key, decision) => {
      const [state, generation, record] = (await run(scripts.resolve, campaignId, key, decision)) as [
        "not-parked" | "sent" | "resend",
        string?,
        string?
      ]
      return state === "resend" ? { state, generation: Number(generation), record: record ?? "" } : { state }
    },
    counts: async (campaignId) => {
      const values = await redis.hmget(keysOf(campaignId)[1], "total", "sent", "notSent", "unknown")
      const [total, sent, notSent, unknown] = values.map((value) => Number(value ?? 0))
      return { total: total ?? 0, sent: sent ?? 0, notSent: notSent ?? 0, unknown: unknown ?? 0 }
    },
    parked: async (campaignId, limit) => {
      const found: Array<[string, string]> = []
      let cursor = "0"
      do {
        const [next, flat] = await redis.hscan(keysOf(campaignId)[2], cursor, "COUNT", 500)
        for (let i = 0; i + 1 < flat.length && found.length < limit; i += 2) found.push([flat[i]!, flat[i + 1]!])
        cursor = next
      } while (cursor !== "0" && found.length < limit)
      return found
    }
  }
}
