import { type Emulator, type RedisServer, type RedisServerOptions, startEmulator, startRedis } from "@oneroute/testkit"
import { Redis } from "ioredis"

export const BUSINESS = "2348000000001"

/** A customer number for index i, distinct for i < 10^7. */
export const customer = (i: number): string => `23480${String(i).padStart(8, "0")}`

/** Lets every customer in `count` write first, so that session messages may be sent. */
export const openWindows = (emulator: Emulator, count: number) => {
  for (let i = 0; i < count; i++) emulator.receiveInbound({ from: customer(i), to: BUSINESS })
}

/** How many messages the emulator recorded per recipient (session and template). */
export const sendsPerRecipient = (emulator: Emulator): Map<string, number> => {
  const counts = new Map<string, number>()
  for (const sent of [...emulator.sent(), ...emulator.sentTemplates()]) {
    counts.set(sent.to, (counts.get(sent.to) ?? 0) + 1)
  }
  return counts
}

export const duplicatesOf = (counts: Map<string, number>): number =>
  [...counts.values()].reduce((total, n) => total + Math.max(0, n - 1), 0)

export interface Servers {
  readonly redis: RedisServer
  readonly emulator: Emulator
  /** A client for assertions (no retry limit, so it outlives a Redis restart). */
  readonly client: Redis
  readonly stop: () => Promise<void>
}

export const startServers = async (options: RedisServerOptions = {}): Promise<Servers> => {
  const redis = await startRedis(options)
  const emulator = await startEmulator()
  const client = new Redis(redis.url, { maxRetriesPerRequest: null })
  return {
    redis,
    emulator,
    client,
    stop: async () => {
      client.disconnect()
      await emulator.close()
      await redis.stop()
    }
  }
}

/** Polls `check` until it returns true (every 100 ms), failing after `timeoutMs`. */
export const eventually = async (check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
