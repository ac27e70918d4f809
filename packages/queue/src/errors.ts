/**
 * The errors of `@oneroute/queue`.
 *
 * @since 0.1.0
 */
import { TaggedError } from "@oneroute/core/effect"

/**
 * A queued job's data is not a campaign message (written by something else, or damaged). The
 * worker sends nothing for it and BullMQ marks the job failed with this error's message.
 *
 * @since 0.1.0
 */
export class MalformedJobError extends TaggedError("MalformedJobError")<{
  /** The BullMQ job id. */
  readonly jobId: string
  /** What is wrong with the data (no value from it longer than a few characters). */
  readonly problem: string
}> {
  /** What went wrong and what to do. */
  override get message(): string {
    return `Job ${this.jobId} is not a campaign message (${this.problem}); nothing was sent. Remove it from the queue.`
  }
}

/**
 * The ledger has no entry for a queued message: Redis lost the ledger (a restart without AOF,
 * an eviction, a FLUSHALL) or the campaign's retention ran out. The worker does not send it,
 * because it cannot know whether it was sent before.
 *
 * @since 0.1.0
 */
export class LedgerEntryMissingError extends TaggedError("LedgerEntryMissingError")<{
  readonly campaignId: string
  readonly key: string
}> {
  /** What went wrong and what to do. */
  override get message(): string {
    return (
      `The ledger has no entry for ${this.key} of campaign ${this.campaignId}, so it was not sent: ` +
      "Redis lost data or the campaign's retention ran out. Check Redis (appendonly yes, appendfsync always, noeviction) and re-import the campaign."
    )
  }
}

/**
 * `resolve` was called for a key that is not parked (already settled, never queued, or a typo).
 *
 * @since 0.1.0
 */
export class NotParkedError extends TaggedError("NotParkedError")<{
  readonly campaignId: string
  readonly key: string
}> {
  /** What went wrong and what to do. */
  override get message(): string {
    return `${this.key} of campaign ${this.campaignId} is not parked; see review(campaignId) for the parked ones.`
  }
}

/**
 * The PostgreSQL server could lose the last committed ledger writes in a crash (`fsync` or
 * `synchronous_commit` is off), and the campaigns were made without `durability: "best-effort"`.
 * A lost in-flight entry lets a message go twice, so nothing is queued or sent.
 *
 * @since 0.1.0
 */
export class PostgresNotDurableError extends TaggedError("PostgresNotDurableError")<{
  /** One line per setting to change. */
  readonly problems: ReadonlyArray<string>
}> {
  /** What went wrong and what to do. */
  override get message(): string {
    return `This PostgreSQL could lose ledger writes in a crash, and a lost write can send a message twice: ${this.problems.join("; ")}. Fix the server, or pass durability: "best-effort" to accept the risk.`
  }
}
