import { InvalidInputError, InvalidOptionsError } from "@oneroute/core"
import { WhatsAppNumber } from "@oneroute/core/schema"
import type { Queue } from "bullmq"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type {
  CampaignProgress,
  Campaigns,
  CampaignsOptions,
  CampaignWorker,
  EnqueueInput,
  EnqueueResult,
  ParkedMessage
} from "../Campaigns.js"
import { NotParkedError } from "../errors.js"
import { backendOf, once } from "./backend.js"
import type { ParkedRecord } from "./ledger.js"
import {
  CAMPAIGN_ID_PATTERN,
  encodeJobData,
  type InvalidRecipient,
  type JobData,
  jobIdOf,
  type KeyedRecipient,
  validateRecipient
} from "./recipients.js"
import { startWorker } from "./worker.js"

const DAY = 24 * 60 * 60 * 1000
const MAX_INVALID_LISTED = 1000
const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/
/** How long `enqueue` waits between looks at the queue while it is full. */
const FULL_QUEUE_POLL_MS = 250

const positiveInteger = (option: string, value: number | undefined, fallback: number, max = 2 ** 31 - 1): number => {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new InvalidOptionsError({ option, problem: `must be a whole number from 1 to ${max}` })
  }
  return value
}

const decodeFrom = Schema.decodeUnknownEither(WhatsAppNumber)

const checkCampaignId = (campaignId: unknown): string => {
  if (typeof campaignId !== "string" || !CAMPAIGN_ID_PATTERN.test(campaignId)) {
    throw new InvalidInputError({
      issues: [{ path: ["campaignId"], message: "A campaign id is 1 to 64 letters, digits, _, - or ." }]
    })
  }
  return campaignId
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The parked record's fields for review, read leniently: the ledger is ours, but Redis is shared. */
const parkedMessageOf = (key: string, raw: string): ParkedMessage => {
  let record: Partial<ParkedRecord> = {}
  try {
    record = JSON.parse(raw) as Partial<ParkedRecord>
  } catch {}
  const job = (record.job ?? {}) as { recipient?: { to?: unknown } }
  return {
    key,
    to: typeof job.recipient?.to === "string" ? job.recipient.to : "",
    reason: typeof record.reason === "string" ? record.reason : "unknown",
    detail: typeof record.detail === "string" ? record.detail : "",
    parkedAt: new Date(typeof record.parkedAt === "number" ? record.parkedAt : 0)
  }
}

/** Each campaigns object's BullMQ queue, for the dashboard (`mountBoard`) and nothing else. */
const queues = new WeakMap<Campaigns, () => Promise<Queue>>()

/** The BullMQ queue of campaigns made by `makeCampaigns`, made after the start check. */
export const queueOf = (campaigns: Campaigns): Promise<Queue> => {
  const queue = queues.get(campaigns)
  if (queue === undefined) {
    throw new InvalidOptionsError({ option: "campaigns", problem: "must be what makeCampaigns returned" })
  }
  return queue()
}

export const makeCampaigns = (options: CampaignsOptions): Campaigns => {
  const queueName = options.queueName ?? "oneroute-campaigns"
  if (!QUEUE_NAME_PATTERN.test(queueName)) {
    throw new InvalidOptionsError({ option: "queueName", problem: "must be 1 to 100 letters, digits, _, - or ." })
  }
  const retention = positiveInteger("retention", options.retention, 30 * DAY, 10 * 365 * DAY)
  const attempts = positiveInteger("attempts", options.attempts, 5, 100)
  const backoff = positiveInteger("backoff", options.backoff, 1000)
  const windowSize = positiveInteger("window.size", options.window?.size, 500, 10_000)
  const maxWaiting = positiveInteger("window.maxWaiting", options.window?.maxWaiting, 10_000)
  const rateLimit =
    options.rateLimit === undefined
      ? undefined
      : {
          max: positiveInteger("rateLimit.max", options.rateLimit.max, 1),
          duration: positiveInteger("rateLimit.duration", options.rateLimit.duration, 1000)
        }
  const durability = options.durability ?? "required"
  if (durability !== "required" && durability !== "best-effort") {
    throw new InvalidOptionsError({ option: "durability", problem: 'must be "required" or "best-effort"' })
  }

  const backend = backendOf(options, queueName, retention, durability)
  const { ledger, ready } = backend
  /**
   * The BullMQ queue, made after the start check: BullMQ's Postgres backend refuses a database
   * whose migrations have not run, and a refused Redis should see no connection from it.
   */
  let made: Queue | undefined
  const queue = once(async () => {
    await ready()
    made ??= backend.queue(queueName, {
      defaultJobOptions: {
        attempts,
        backoff: { type: "exponential", delay: backoff },
        removeOnComplete: true,
        removeOnFail: { count: 10_000 }
      }
    })
    // Connection trouble is also an "error" event; without a listener it would be printed or thrown.
    made.on("error", () => undefined)
    return made
  })
  const workers = new Set<CampaignWorker>()

  const addJobs = async (jobs: ReadonlyArray<JobData>) => {
    if (jobs.length === 0) return
    await (await queue()).addBulk(
      jobs.map((data) => ({
        name: data.campaignId,
        data: encodeJobData(data),
        opts: { jobId: jobIdOf(data.campaignId, data.key, data.generation) }
      }))
    )
  }

  /** Waits until the queue has room for another window. */
  const waitForRoom = async () => {
    const waiting = await queue()
    while ((await waiting.count()) >= maxWaiting) await sleep(FULL_QUEUE_POLL_MS)
  }

  const enqueue = async (input: EnqueueInput): Promise<EnqueueResult> => {
    const campaignId = checkCampaignId(input.campaignId)
    const from = decodeFrom(input.from)
    if (Either.isLeft(from)) {
      throw new InvalidInputError({ issues: [{ path: ["from"], message: "from must be a WhatsApp number" }] })
    }
    await ready()
    let added = 0
    let known = 0
    let invalidCount = 0
    const invalid: Array<InvalidRecipient> = []
    const window = new Map<string, KeyedRecipient>()

    const flush = async () => {
      if (window.size === 0) return
      await waitForRoom()
      const batch = [...window.values()]
      window.clear()
      const found = await ledger.reserve(
        campaignId,
        batch.map(({ key }) => key)
      )
      const jobs: Array<JobData> = []
      batch.forEach(({ key, recipient }, index) => {
        const state = found[index]
        if (state?.state === "new") added++
        else known++
        // A waiting entry is queued again: its job may have been lost with an importer that
        // died between the ledger and the queue. BullMQ ignores a job id it already holds.
        if (state?.state === "new" || state?.state === "waiting") {
          const generation = state.state === "waiting" ? state.generation : 0
          jobs.push({ campaignId, key, generation, from: from.right, recipient })
        }
      })
      await addJobs(jobs)
    }

    let index = 0
    for await (const candidate of input.recipients as AsyncIterable<unknown>) {
      const result = validateRecipient(candidate, index++)
      if (Either.isLeft(result)) {
        invalidCount++
        if (invalid.length < MAX_INVALID_LISTED) invalid.push(result.left)
        continue
      }
      // The same key twice in one window: the first one counts, as it would across windows.
      if (window.has(result.right.key)) known++
      else window.set(result.right.key, result.right)
      if (window.size >= windowSize) await flush()
    }
    await flush()
    return { added, known, invalidCount, invalid }
  }

  const progress = async (campaignId: string): Promise<CampaignProgress> => {
    const counts = await ledger.counts(checkCampaignId(campaignId))
    return { ...counts, pending: counts.total - counts.sent - counts.notSent - counts.unknown }
  }

  const review = async (campaignId: string, limit = 10_000): Promise<ReadonlyArray<ParkedMessage>> => {
    const found = await ledger.parked(checkCampaignId(campaignId), positiveInteger("limit", limit, 10_000, 1_000_000))
    return found.map(([key, raw]) => parkedMessageOf(key, raw))
  }

  const resolve = async (campaignId: string, key: string, decision: "sent" | "resend"): Promise<void> => {
    checkCampaignId(campaignId)
    if (decision !== "sent" && decision !== "resend") {
      throw new InvalidInputError({ issues: [{ path: ["decision"], message: 'must be "sent" or "resend"' }] })
    }
    await ready()
    const result = await ledger.resolve(campaignId, String(key), decision)
    if (result.state === "not-parked") throw new NotParkedError({ campaignId, key: String(key) })
    if (result.state === "resend") {
      const { job } = JSON.parse(result.record) as ParkedRecord
      await addJobs([{ ...(job as JobData), generation: result.generation }])
    }
  }

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      await Promise.all([...workers].map((worker) => worker.close()))
      await made?.close()
      await backend.close()
    })()
    return closing
  }

  const campaigns: Campaigns = {
    enqueue,
    worker: (workerOptions) => {
      const worker = startWorker({
        queueName,
        backend,
        rateLimit,
        options: workerOptions,
        onClose: () => workers.delete(worker)
      })
      workers.add(worker)
      return worker
    },
    progress,
    review,
    resolve,
    close
  }
  queues.set(campaigns, queue)
  return campaigns
}
