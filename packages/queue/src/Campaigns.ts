/**
 * Campaigns on BullMQ: recipients go into a BullMQ queue in windows, workers on one or many
 * machines send them through OneRoute, and a ledger per message in Redis makes BullMQ's
 * at-least-once jobs into at-most-once WhatsApp messages.
 *
 * ```ts
 * import { makeCampaigns } from "@oneroute/queue"
 *
 * const campaigns = makeCampaigns({ redis: process.env.REDIS_URL! })
 * await campaigns.enqueue({
 *   campaignId: "black-friday-2026",
 *   from: "2348000000001",
 *   recipients: [{ to: "2348012345678", template: { name: "hello_world", parameters: [] } }]
 * })
 * console.log(await campaigns.progress("black-friday-2026")) // { total: 1, sent: 0, notSent: 0, unknown: 0, pending: 1 }
 * await campaigns.close()
 * ```
 *
 * @since 0.1.0
 */
import type { ClientOptions, NodeTransportOptions, Template } from "@oneroute/node"
import type * as Tracer from "effect/Tracer"
import type { Redis } from "ioredis"
import * as internal from "./internal/campaigns.js"
import type { InvalidRecipient } from "./internal/recipients.js"

export type { InvalidRecipient } from "./internal/recipients.js"

/**
 * Options of {@link makeCampaigns}.
 *
 * @since 0.1.0
 */
export interface CampaignsOptions {
  /**
   * The Redis that holds both the queue and the ledger: a `redis://` URL (the campaigns open and
   * close their own connections) or your ioredis client (you own it and `quit()` it after
   * `close()`; the workers duplicate it for BullMQ's blocking connection).
   *
   * For the guarantee Redis must keep every write: `appendonly yes` with `appendfsync always`
   * and `maxmemory-policy noeviction` (see `durability`).
   */
  readonly redis?: string | Redis
  /**
   * For teams without Redis: your `pg.Pool` (PostgreSQL ≥ 13; you own it and `end()` it after
   * `close()`). BullMQ's Postgres backend holds the queue (its migrations run on the first
   * operation), and the ledger is a table with one function call per transition. Give either
   * `redis` or `postgres`.
   */
  readonly postgres?: PostgresPool
  /** The BullMQ queue's name; letters, digits, `_`, `-` and `.`. Default `"oneroute-campaigns"`. */
  readonly queueName?: string
  /**
   * The shared limit of every worker on this queue: at most `max` sends per `duration`
   * milliseconds (BullMQ's fixed window; keep it below your OneRoute tier with a short window,
   * such as 100 ms). Default: none, only OneRoute's 429s slow the workers down.
   */
  readonly rateLimit?: { readonly max: number; readonly duration: number }
  /**
   * How long a campaign's ledger is kept after its last change, in milliseconds. A re-import
   * within this time sends nothing twice. Default 30 days.
   */
  readonly retention?: number
  /** Attempts per message for failures that certainly sent nothing (BullMQ's `attempts`). Default 5. */
  readonly attempts?: number
  /** First backoff between attempts in milliseconds, doubled each attempt (BullMQ's exponential backoff). Default 1000. */
  readonly backoff?: number
  /**
   * `"required"` (the default): the first operation checks, through `@oneroute/redis`, that Redis
   * keeps its keys (AOF with `appendfsync everysec` or `always`, no eviction) and fails with
   * `RedisNotDurableError` otherwise. `"best-effort"` skips that check (tests, development): a
   * Redis that forgets the ledger can then send a message twice.
   */
  readonly durability?: "required" | "best-effort"
  /**
   * How many recipients `enqueue` writes at a time, and how many jobs may wait in the queue
   * before it pauses until workers catch up. Defaults `{ size: 500, maxWaiting: 10_000 }`.
   */
  readonly window?: { readonly size?: number; readonly maxWaiting?: number }
}

/**
 * What `postgres` takes: a `pg.Pool` (node-postgres).
 *
 * @since 0.1.0
 */
export interface PostgresPool {
  /** Runs one statement (`pg`'s `Pool.query`). */
  query(text: string, values?: Array<unknown>): Promise<unknown>
  /** Checks out a client for a transaction (`pg`'s `Pool.connect`). */
  connect(): Promise<unknown>
}

/**
 * One recipient of a campaign: a session message (`message`), a template message (`template`),
 * or a session message that falls back to `fallbackTemplate` when OneRoute refuses it because
 * the customer's window is closed (`RejectedError` with `reason: "window-closed"`, certainly not
 * sent). Never both.
 *
 * @since 0.1.0
 */
export interface Recipient {
  /**
   * The message's key in the ledger: at most one message per key and campaign is ever sent.
   * 1 to 128 letters, digits, `_`, `-`, `.`, `+`, `=` or `@`. Default: the normalised `to`, so a
   * campaign sends each number at most one message.
   */
  readonly key?: string
  /** The customer's number, normalised like every `WhatsAppNumber` (`+234 801 234 5678`). */
  readonly to: string
  /** The session message's text. */
  readonly message?: string
  /** The template to send instead of a session message. */
  readonly template?: Template
  /** With `message`: the template sent when the window is closed. */
  readonly fallbackTemplate?: Template
}

/**
 * What {@link Campaigns.enqueue} takes.
 *
 * @since 0.1.0
 */
export interface EnqueueInput {
  /** The campaign: 1 to 64 letters, digits, `_`, `-` or `.`. */
  readonly campaignId: string
  /** Your business number, connected to a OneRoute channel. */
  readonly from: string
  /** The recipients, read one window at a time: an array, a generator, a stream of parsed rows. */
  readonly recipients: Iterable<Recipient> | AsyncIterable<Recipient>
}

/**
 * What {@link Campaigns.enqueue} did.
 *
 * @since 0.1.0
 */
export interface EnqueueResult {
  /** Recipients new to the ledger, now queued. */
  readonly added: number
  /** Recipients the ledger already had (a re-import): not queued again, except those still waiting. */
  readonly known: number
  /** How many recipients were invalid and not queued. */
  readonly invalidCount: number
  /** The first 1000 invalid recipients, each with its position and problems. */
  readonly invalid: ReadonlyArray<InvalidRecipient>
}

/**
 * A campaign's counts, from the ledger's counters (kept by the same atomic steps as its entries,
 * so they cannot drift): `total = sent + notSent + unknown + pending`.
 *
 * @since 0.1.0
 */
export interface CampaignProgress {
  /** Recipients recorded so far (the importer may still be adding). */
  readonly total: number
  /** Sent: OneRoute accepted them. */
  readonly sent: number
  /** Certainly not sent, and not retried any more (a refusal, or every attempt used). */
  readonly notSent: number
  /** Parked: they may have been sent; see {@link Campaigns.review}. */
  readonly unknown: number
  /** Waiting, in flight or waiting for a retry. */
  readonly pending: number
}

/**
 * A parked message: it may have been sent, so it is never resent without your
 * {@link Campaigns.resolve}.
 *
 * @since 0.1.0
 */
export interface ParkedMessage {
  /** The message's key in its campaign (what `resolve` takes). */
  readonly key: string
  /** The normalised number. */
  readonly to: string
  /** Why it was parked: the error's `_tag`, or `"redelivered"` when a worker died mid-send. */
  readonly reason: string
  /** What happened, in words (no secret). */
  readonly detail: string
  /** When it was parked. */
  readonly parkedAt: Date
}

/**
 * Options of {@link Campaigns.worker}: the Node client's options (`apiKey`, `baseUrl`,
 * `timeout`, …; read from `process.env` when left out) and the worker's own. The client never
 * retries on its own: every retry is BullMQ's, after the ledger released the message.
 *
 * @since 0.1.0
 */
export interface WorkerOptions extends Omit<Partial<ClientOptions>, "retry">, NodeTransportOptions {
  /** Messages sent at the same time by this process. */
  readonly concurrency: number
  /**
   * BullMQ's lock on a job in milliseconds, renewed while the worker lives. A dead worker's jobs
   * are handed out again after the lock ran out and a stalled check ran. Default 30000.
   */
  readonly lockDuration?: number
  /** How often this worker looks for stalled jobs, in milliseconds. Default 30000. */
  readonly stalledInterval?: number
  /**
   * How long this worker waits before it asks its store again after the store could not be
   * reached (Redis or PostgreSQL restarting), in milliseconds (BullMQ's `runRetryDelay`).
   * Default 15000.
   */
  readonly storeRetryDelay?: number
  /** Close gracefully (finish the messages in flight) on SIGTERM and SIGINT. Default `true`. */
  readonly handleSignals?: boolean
  /** Called with each message's outcome, for logs and metrics. */
  readonly onOutcome?: (event: OutcomeEvent) => void
  /**
   * Runs every job in a span `OneRouteQueue.job` of this Effect tracer (such as the one
   * `@effect/opentelemetry` makes) with the attributes `oneroute.campaign.id`,
   * `oneroute.message.key` (left out when the key is a phone number, as the default key is),
   * `oneroute.ledger.transition` (`sent`, `not-sent`, `released`, `parked` or `skipped`) and
   * `oneroute.error.tag`; never a number or a text. Default: no spans.
   */
  readonly tracer?: Tracer.Tracer
}

/**
 * One ledger transition a worker made, for logs and spans.
 *
 * @since 0.1.0
 */
export interface OutcomeEvent {
  /** The campaign. */
  readonly campaignId: string
  /** The message's key in the campaign. */
  readonly key: string
  /** `"sent"`, `"not-sent"` (final), `"released"` (retried later), `"unknown"` (parked) or `"skipped"` (already done). */
  readonly transition: "sent" | "not-sent" | "released" | "unknown" | "skipped"
  /** The error's `_tag`, when a send failed. */
  readonly error?: string
  /** Whether the fallback template was sent. */
  readonly viaFallback?: boolean
}

/**
 * A running worker.
 *
 * @since 0.1.0
 */
export interface CampaignWorker {
  /** Resolves when BullMQ's worker is connected and fetching jobs. */
  readonly ready: () => Promise<void>
  /** Stops taking jobs, waits for the messages in flight and closes the worker's connections. */
  readonly close: () => Promise<void>
}

/**
 * What {@link makeCampaigns} returns.
 *
 * @since 0.1.0
 */
export interface Campaigns {
  /**
   * Validates each recipient, records the new ones in the ledger and queues them, one window at a
   * time: before each window it waits until fewer than `window.maxWaiting` jobs wait, so a
   * 10-million-recipient campaign never sits in Redis at once (keep the importer running while
   * workers send; if it stops, run it again). Idempotent per campaign and key: a re-import queues
   * only what the ledger does not hold, plus messages still waiting whose job was lost. Invalid
   * recipients are reported, not queued.
   */
  readonly enqueue: (input: EnqueueInput) => Promise<EnqueueResult>
  /** Starts a worker in this process; run the same on 1 or N machines. */
  readonly worker: (options: WorkerOptions) => CampaignWorker
  /** The campaign's counts. */
  readonly progress: (campaignId: string) => Promise<CampaignProgress>
  /** The parked messages (at most `limit`, default 10000). */
  readonly review: (campaignId: string, limit?: number) => Promise<ReadonlyArray<ParkedMessage>>
  /**
   * Settles a parked message: `"sent"` after you checked that it arrived, `"resend"` to queue it
   * again. Rejects with `NotParkedError` when the key is not parked.
   */
  readonly resolve: (campaignId: string, key: string, decision: "sent" | "resend") => Promise<void>
  /** Closes the queue, the workers this object started and the connections it opened. */
  readonly close: () => Promise<void>
}

/**
 * Makes the campaigns of one queue. Throws `InvalidOptionsError` for unusable options.
 *
 * @since 0.1.0
 */
export const makeCampaigns: (options: CampaignsOptions) => Campaigns = internal.makeCampaigns
