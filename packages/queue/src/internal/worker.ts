import { randomUUID } from "node:crypto"
import { createClient, isOneRouteError, type OneRouteClient, type TemplateOutcome } from "@oneroute/node"
import { type Job, UnrecoverableError, Worker } from "bullmq"
import * as Either from "effect/Either"
import type { CampaignWorker, OutcomeEvent, WorkerOptions } from "../Campaigns.js"
import { LedgerEntryMissingError, MalformedJobError } from "../errors.js"
import type { Backend } from "./backend.js"
import { annotate, inJobSpan } from "./jobSpan.js"
import type { Outcome, ParkedRecord } from "./ledger.js"
import { decodeJobData, encodeJobData, type JobData } from "./recipients.js"

/** A 429 without `Retry-After` pauses every worker this long; a longer one is cut to the maximum. */
const RATE_LIMIT_PAUSE_MS = 1000
const MAX_RATE_LIMIT_PAUSE_MS = 60_000
/** Redelivery is safe with the ledger (a message in flight is parked), so stalls never fail a job. */
const MAX_STALLED_COUNT = 1000

/** What one attempt's request(s) ended with. */
type Attempt =
  | { readonly outcome: "sent"; readonly viaFallback: boolean }
  | { readonly outcome: "template-failed"; readonly detail: string; readonly viaFallback: boolean }
  | { readonly outcome: "template-unknown"; readonly detail: string; readonly viaFallback: boolean }
  | { readonly outcome: "error"; readonly error: unknown }

const templateAttempt = (outcome: TemplateOutcome | undefined, viaFallback: boolean): Attempt => {
  if (outcome?.status === "sent") return { outcome: "sent", viaFallback }
  if (outcome?.status === "failed") return { outcome: "template-failed", detail: outcome.detail, viaFallback }
  return { outcome: "template-unknown", detail: outcome?.detail ?? "no outcome for the recipient", viaFallback }
}

const send = async (client: OneRouteClient, data: JobData): Promise<Attempt> => {
  const { from, recipient } = data
  const sendTemplate = async (template: NonNullable<JobData["recipient"]["template"]>, viaFallback: boolean) => {
    const result = await client.sendTemplateMessage({ from, messages: [{ to: recipient.to, template }] })
    return templateAttempt(result.outcomes[0], viaFallback)
  }
  try {
    if (recipient.message === undefined) return await sendTemplate(recipient.template!, false)
    try {
      await client.sendSessionMessage({ from, to: recipient.to, message: recipient.message })
      return { outcome: "sent", viaFallback: false }
    } catch (error) {
      const windowClosed =
        isOneRouteError(error) &&
        error._tag === "RejectedError" &&
        error.reason === "window-closed" &&
        error.sendOutcome === "not-sent"
      if (!windowClosed || recipient.fallbackTemplate === undefined) throw error
      return await sendTemplate(recipient.fallbackTemplate, true)
    }
  } catch (error) {
    return { outcome: "error", error }
  }
}

/** Refusals that will be refused again however often they are retried. */
const isPermanent = (error: unknown): boolean =>
  isOneRouteError(error) &&
  (error._tag === "InvalidInputError" || (error._tag === "RejectedError" && error.status < 500))

const describe = (error: unknown): { tag: string; detail: string } =>
  isOneRouteError(error)
    ? { tag: error._tag, detail: error.message }
    : {
        tag: "UnexpectedError",
        detail: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : "a non-error was thrown"
      }

export interface StartWorker {
  readonly queueName: string
  readonly backend: Backend
  readonly rateLimit: { readonly max: number; readonly duration: number } | undefined
  readonly options: WorkerOptions
  readonly onClose: () => void
}

export const startWorker = ({ queueName, backend, rateLimit, options, onClose }: StartWorker): CampaignWorker => {
  const { ledger, ready } = backend
  const {
    concurrency,
    lockDuration,
    stalledInterval,
    storeRetryDelay,
    handleSignals = true,
    onOutcome,
    tracer,
    ...clientOptions
  } = options
  // Every retry is BullMQ's, after the ledger released the message: never the client's own.
  const client = createClient({ ...clientOptions, retry: false })

  const tellOutcome = (event: OutcomeEvent) => {
    try {
      onOutcome?.(event)
    } catch {}
  }

  const processJob = (job: Job): Promise<string> =>
    tracer === undefined
      ? runJob(job, tellOutcome)
      : inJobSpan(
          tracer,
          {
            "messaging.system": "bullmq",
            "messaging.destination.name": queueName,
            "oneroute.job.attempt": job.attemptsMade + 1
          },
          (span) =>
            runJob(job, (event) => {
              annotate(span, event)
              tellOutcome(event)
            })
        )

  const runJob = async (job: Job, report: (event: OutcomeEvent) => void): Promise<string> => {
    const decoded = decodeJobData(job.data)
    if (Either.isLeft(decoded)) {
      throw new UnrecoverableError(new MalformedJobError({ jobId: String(job.id), problem: decoded.left }).message)
    }
    const data = decoded.right
    const { campaignId, key } = data
    const token = randomUUID()
    const parked = (reason: string, detail: string): ParkedRecord => ({
      job: encodeJobData(data),
      reason,
      detail,
      parkedAt: Date.now()
    })
    const began = await ledger.begin(
      campaignId,
      key,
      data.generation,
      token,
      parked(
        "redelivered",
        "A worker began sending this message and stopped before recording the outcome (it died or lost its lock): it may have been sent"
      )
    )
    if (began === "missing") throw new UnrecoverableError(new LedgerEntryMissingError({ campaignId, key }).message)
    if (began === "parked") {
      report({ campaignId, key, transition: "unknown", error: "redelivered" })
      return "parked"
    }
    if (began !== "go") {
      report({ campaignId, key, transition: "skipped" })
      return began
    }

    const attempt = await send(client, data)
    const finish = (outcome: Outcome, record?: ParkedRecord) => ledger.finish(campaignId, key, token, outcome, record)
    const viaFallback = attempt.outcome === "error" ? undefined : attempt.viaFallback
    const event = (transition: OutcomeEvent["transition"], error?: string): OutcomeEvent => ({
      campaignId,
      key,
      transition,
      ...(error === undefined ? {} : { error }),
      ...(viaFallback === undefined ? {} : { viaFallback })
    })

    if (attempt.outcome === "sent") {
      await finish("sent")
      report(event("sent"))
      return "sent"
    }
    if (attempt.outcome === "template-failed") {
      await finish("not-sent")
      report(event("not-sent", "TemplateFailed"))
      return "not-sent"
    }
    if (attempt.outcome === "template-unknown") {
      await finish("unknown", parked("TemplateUnknown", attempt.detail))
      report(event("unknown", "TemplateUnknown"))
      return "unknown"
    }
    const { error } = attempt
    const { tag, detail } = describe(error)
    if (!isOneRouteError(error) || error.sendOutcome !== "not-sent") {
      await finish("unknown", parked(tag, detail))
      report(event("unknown", tag))
      return "unknown"
    }
    if (error._tag === "RateLimitedError") {
      await finish("release")
      report(event("released", tag))
      // Every worker of the queue pauses; the job goes back to waiting without using an attempt.
      const pause = Math.min(Math.max(error.retryAfterMs ?? RATE_LIMIT_PAUSE_MS, 1), MAX_RATE_LIMIT_PAUSE_MS)
      await (await worker).rateLimit(pause)
      throw Worker.RateLimitError()
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1)
    if (isPermanent(error) || lastAttempt) {
      await finish("not-sent")
      report(event("not-sent", tag))
      return "not-sent"
    }
    await finish("release")
    report(event("released", tag))
    throw error
  }

  // Made after the start check (see campaigns.ts); the jobs it runs can only start after that.
  const worker = ready().then(() => {
    if (closing !== undefined) throw new Error("The worker was closed before it started")
    const made = backend.worker(queueName, processJob, {
      concurrency,
      ...(lockDuration === undefined ? {} : { lockDuration }),
      ...(stalledInterval === undefined ? {} : { stalledInterval }),
      ...(storeRetryDelay === undefined ? {} : { runRetryDelay: storeRetryDelay }),
      maxStalledCount: MAX_STALLED_COUNT,
      ...(rateLimit === undefined ? {} : { limiter: rateLimit })
    })
    // BullMQ reports connection trouble as events; without a listener Node would throw them.
    made.on("error", () => undefined)
    return made
  })
  // A failed start check is reported by ready() and close(), not as an unhandled rejection.
  worker.catch(() => undefined)

  const onSignal = () => {
    void close()
  }
  if (handleSignals) {
    globalThis.process.once("SIGTERM", onSignal)
    globalThis.process.once("SIGINT", onSignal)
  }

  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= (async () => {
      globalThis.process.off("SIGTERM", onSignal)
      globalThis.process.off("SIGINT", onSignal)
      try {
        await (await worker.catch(() => undefined))?.close()
      } finally {
        await client.close()
        onClose()
      }
    })()
    return closing
  }

  return { ready: async () => void (await (await worker).waitUntilReady()), close }
}
