/**
 * The window store's Lua scripts. Times are integers of milliseconds as strings; each field
 * keeps the later of the stored and the given time, so the scripts commute: any order of the
 * same writes leaves the same hash. A key's TTL is raised to the retention asked for, never cut.
 */

const HELPERS = `
local function keepLatest(key, field, value)
  local time = tonumber(value)
  if time == nil then return end
  local current = tonumber(redis.call("HGET", key, field))
  if current == nil or time > current then redis.call("HSET", key, field, value) end
end
local function retain(key, ms)
  if redis.call("PTTL", key) < ms then redis.call("PEXPIRE", key, ms) end
end
`

/**
 * KEYS[1] the pair's hash, KEYS[2] (optional) a conversation to link to it. ARGV: inboundAt,
 * closedAt, sentAt ("" for none), the retention in ms, the pair's name (stored in the link).
 * Linking moves the conversation's kept inbound message (and its retention) into the pair, in the
 * same script, so an inbound recorded by conversation is never lost between the two.
 */
export const RECORD = `${HELPERS}
local retainMs = tonumber(ARGV[4])
if KEYS[2] then
  local pending = redis.call("HGET", KEYS[2], "pendingAt")
  if pending then
    keepLatest(KEYS[1], "inboundAt", pending)
    -- The kept inbound brings its own retention (the unlinked conversation's) into the pair.
    retain(KEYS[1], redis.call("PTTL", KEYS[2]))
  end
  redis.call("HSET", KEYS[2], "pair", ARGV[5])
  redis.call("HDEL", KEYS[2], "pendingAt")
  retain(KEYS[2], retainMs)
end
keepLatest(KEYS[1], "inboundAt", ARGV[1])
keepLatest(KEYS[1], "closedAt", ARGV[2])
keepLatest(KEYS[1], "sentAt", ARGV[3])
retain(KEYS[1], retainMs)
return 1
`

/**
 * KEYS[1] a conversation's hash. ARGV: the inbound time, the retention in ms. Returns the linked
 * pair's name (the caller records the inbound there), or keeps the latest inbound and returns nil.
 */
export const CONVERSATION_INBOUND = `${HELPERS}
local pair = redis.call("HGET", KEYS[1], "pair")
if pair then return pair end
keepLatest(KEYS[1], "pendingAt", ARGV[1])
retain(KEYS[1], tonumber(ARGV[2]))
return false
`
