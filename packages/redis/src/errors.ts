/**
 * The errors of `@oneroute/redis` that say why the store refuses: a Redis that would forget keys
 * after a restart, or a Redis that has lost the store's data.
 *
 * @since 0.2.0
 */
import { TaggedError } from "@oneroute/core/effect"

/**
 * The Redis server would not keep the store's keys through a restart or under memory pressure,
 * and the store was made without `durability: "best-effort"`. `ready()` rejects with it, and
 * every `reserve` fails with an `IdempotencyStoreError` whose `cause` is it (the relay answers
 * 503 and sends nothing). `problems` says what to change on the server.
 *
 * @since 0.2.0
 */
export class RedisNotDurableError extends TaggedError("RedisNotDurableError")<{
  /** One line per problem found, each with what to change. */
  readonly problems: ReadonlyArray<string>
}> {
  /** The problems found and how to fix the server (or accept the risk). */
  override get message(): string {
    return (
      `This Redis could lose remembered Idempotency-Keys, and a lost key lets a repeat send a second message: ` +
      `${this.problems.join("; ")}. Fix the server (appendonly yes, appendfsync everysec or always, ` +
      `maxmemory-policy noeviction), or pass durability: "best-effort" to makeRedisStore to accept the risk.`
    )
  }
}

/**
 * Redis lost the store's data (its sentinel key was missing, unreadable or replaced, or the
 * server restarted without `appendfsync always`): a key remembered before the loss could be
 * repeated, so the store refuses new keys until `quarantinedUntil` (one TTL after the loss was
 * noticed). Keys that are still in Redis keep being answered. It is the `cause` of the
 * `IdempotencyStoreError` that `reserve` fails with; the relay answers 503 and sends nothing.
 *
 * @since 0.2.0
 */
export class RedisDataLossError extends TaggedError("RedisDataLossError")<{
  /** What the store saw: `"missing"`, `"unreadable"`, `"replaced"` or `"restarted"`. */
  readonly reason: string
  /** When new keys are accepted again (Redis's clock). */
  readonly quarantinedUntil: Date
}> {
  /** What Redis lost and until when new sends are refused. */
  override get message(): string {
    return (
      `Redis lost the relay's remembered Idempotency-Keys (sentinel ${this.reason}); ` +
      `new sends are refused until ${this.quarantinedUntil.toISOString()} so that no repeat of an earlier send goes out twice`
    )
  }
}
