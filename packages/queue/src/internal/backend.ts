import { InvalidOptionsError } from "@oneroute/core"
import { makeRedisStore } from "@oneroute/redis"
import {
  type ConnectionOptions,
  createPostgresBackend,
  type PgPool,
  Queue,
  type QueueOptions,
  runMigrations,
  Worker,
  type WorkerOptions
} from "bullmq"
import { Redis } from "ioredis"
import type { CampaignsOptions, PostgresPool } from "../Campaigns.js"
import { PostgresNotDurableError } from "../errors.js"
import { type Ledger, makeLedger } from "./ledger.js"
import { makePostgresLedger, migrate, type PgQueryable } from "./postgresLedger.js"

/** Where the queue and the ledger live: Redis, or PostgreSQL for teams without Redis. */
export interface Backend {
  readonly ledger: Ledger
  /** The durability check and (PostgreSQL) the migrations: once, until it succeeds. */
  readonly ready: () => Promise<void>
  readonly queue: (name: string, options: Omit<QueueOptions, "connection">) => Queue
  readonly worker: (
    name: string,
    processor: ConstructorParameters<typeof Worker>[1],
    options: Omit<WorkerOptions, "connection">
  ) => Worker
  readonly close: () => Promise<void>
}

/** Runs `run` once, until it succeeds; callers meanwhile share its promise. */
export const once = <A>(run: () => Promise<A>): (() => Promise<A>) => {
  let running: Promise<A> | undefined
  return () => {
    running ??= run().catch((error) => {
      running = undefined
      throw error
    })
    return running
  }
}

type Durability = "required" | "best-effort"

export const redisBackend = (
  source: string | Redis,
  queueName: string,
  retention: number,
  durability: Durability
): Backend => {
  const owned = typeof source === "string"
  // BullMQ's connections wait for Redis instead of failing a command (maxRetriesPerRequest: null);
  // the ledger's scripts are safe to resend after a reconnect (see ledger.ts).
  const redis = typeof source === "string" ? new Redis(source, { maxRetriesPerRequest: null }) : source
  // Connection trouble is also an "error" event; without a listener ioredis prints it. Commands
  // still wait for the reconnect (or fail) as usual.
  if (owned) redis.on("error", () => undefined)
  return {
    ledger: makeLedger(redis, `oneroute:campaign:${queueName}:`, retention),
    ready: once(async () => {
      if (durability === "required") await makeRedisStore({ redis, keyPrefix: "oneroute:campaign:" }).ready()
    }),
    queue: (name, options) => new Queue(name, { ...options, connection: redis }),
    worker: (name, processor, options) => new Worker(name, processor, { ...options, connection: redis }),
    close: async () => {
      if (owned) await redis.quit().catch(() => undefined)
    }
  }
}

const isPool = (source: unknown): source is PostgresPool =>
  typeof (source as { query?: unknown }).query === "function" &&
  typeof (source as { connect?: unknown }).connect === "function"

export const postgresBackend = (
  pool: PostgresPool,
  queueName: string,
  retention: number,
  durability: Durability
): Backend => {
  if (!isPool(pool))
    throw new InvalidOptionsError({
      option: "postgres",
      problem: "must be a pg.Pool (new pg.Pool({ connectionString }))"
    })
  const queryable = pool as unknown as PgQueryable
  const connection = pool as unknown as ConnectionOptions
  return {
    ledger: makePostgresLedger(queryable, queueName),
    ready: once(async () => {
      if (durability === "required") {
        const { rows } = await queryable.query(
          "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit"
        )
        const problems: Array<string> = []
        if (rows[0]?.fsync !== "on") problems.push("fsync is off (set fsync = on)")
        if (rows[0]?.synchronous_commit === "off") problems.push("synchronous_commit is off (set it to on)")
        if (problems.length > 0) throw new PostgresNotDurableError({ problems })
      }
      // BullMQ's queries name its tables without their schema: the pool's search_path must hold it.
      const { rows: schemas } = await queryable.query(
        "SELECT 'bullmq' = ANY (current_schemas(false)) OR current_setting('search_path') LIKE '%bullmq%' AS ok"
      )
      if (schemas[0]?.ok !== true) {
        throw new InvalidOptionsError({
          option: "postgres",
          problem:
            "the pool's search_path must hold BullMQ's schema: new pg.Pool({ connectionString, options: \"-c search_path=bullmq,public\" })"
        })
      }
      await runMigrations(pool as unknown as PgPool)
      await migrate(queryable, retention)
    }),
    queue: (name, options) => new Queue(name, { ...options, connection }, createPostgresBackend as never),
    worker: (name, processor, options) =>
      new Worker(name, processor, { ...options, connection }, createPostgresBackend as never),
    // Your pool: you end it.
    close: async () => undefined
  }
}

export const backendOf = (
  options: CampaignsOptions,
  queueName: string,
  retention: number,
  durability: Durability
): Backend => {
  const { redis, postgres } = options
  if ((redis === undefined) === (postgres === undefined)) {
    throw new InvalidOptionsError({
      option: "redis",
      problem: "give either redis (a URL or an ioredis client) or postgres (a pg.Pool)"
    })
  }
  if (postgres !== undefined) return postgresBackend(postgres, queueName, retention, durability)
  if (typeof redis !== "string" && typeof redis?.evalsha !== "function") {
    throw new InvalidOptionsError({ option: "redis", problem: "must be a redis:// URL or an ioredis client" })
  }
  return redisBackend(redis!, queueName, retention, durability)
}
