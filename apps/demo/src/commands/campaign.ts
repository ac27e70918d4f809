import { access } from "node:fs/promises"
import { relative } from "node:path"
import { fileURLToPath } from "node:url"
import { type CampaignProgress, makeCampaigns, type Recipient, recipientsFromCsv } from "@oneroute/queue"
import { startRedis } from "@oneroute/testkit"
import type { Target } from "../environment.js"
import { InputFileError } from "../input/row.js"
import { createProgress } from "../progress.js"
import { onPath, REDIS_MISSING } from "../redisServer.js"

/** What `campaign` sends: a file, generated recipients, or the bundled example. */
export interface CampaignCommand {
  /** A recipients CSV; `undefined` with `size`, or for the bundled example. */
  readonly file: string | undefined
  /** How many generated recipients to send to instead of a file. */
  readonly size: number | undefined
}

/** The CSV the campaign sends when neither --file nor --size is given. */
export const EXAMPLE_CAMPAIGN = fileURLToPath(new URL("../../examples/campaign.csv", import.meta.url))

/** Why a campaign on the real OneRoute needs --yes. */
export const REAL_CAMPAIGN_REFUSED =
  "campaign sends a real WhatsApp message to every recipient when ONEROUTE_API_KEY is set: run it again with --yes if you mean it"

const CAMPAIGN_ID = "demo"
const POLL_INTERVAL = 200

/** `--size N` customers, 2348100000000 upwards, each with a session message. */
const generated = function* (size: number): Generator<Recipient> {
  for (let i = 0; i < size; i++) {
    yield { to: String(2348100000000 + i), message: `Hello customer ${i + 1}, this is the OneRoute campaign demo.` }
  }
}

/**
 * Hands the recipients on as `enqueue` reads them, until `stop`, and on the emulator first makes
 * each customer of a session message write in, so its 24-hour window is open. On OneRoute it
 * opens nothing.
 */
const withOpenWindows = async function* (
  recipients: Iterable<Recipient> | AsyncIterable<Recipient>,
  target: Target,
  from: string,
  stop: AbortSignal
): AsyncGenerator<Recipient> {
  for await (const recipient of recipients) {
    // Ctrl-C ends the import here: enqueue returns with what it has queued.
    if (stop.aborted) return
    // Rows are not validated yet (enqueue does that): only well-formed ones open a window.
    if (typeof recipient.to === "string" && typeof recipient.message === "string") target.openWindow(recipient.to, from)
    yield recipient
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const totalsLine = (progress: CampaignProgress): string =>
  `Totals: ${progress.total} recipients, ${progress.sent} sent, ${progress.notSent} not sent, ${progress.unknown} parked, ${progress.pending} pending.`

interface Run {
  readonly target: Target
  readonly from: string
  /** What is being sent, for the output. */
  readonly what: string
  readonly recipients: Iterable<Recipient> | AsyncIterable<Recipient>
  readonly unreadable: () => number
  /** Aborted by Ctrl-C: stop waiting, show where the campaign stands, close. */
  readonly stop: AbortSignal
}

/** Runs one worker, queues the recipients, waits until nothing is pending, prints the totals and the parked messages. */
const runCampaign = async (redisUrl: string, run: Run): Promise<number> => {
  const campaigns = makeCampaigns({ redis: redisUrl, durability: "best-effort" })
  try {
    // The worker runs while the importer reads: past `window.maxWaiting` (10,000) waiting jobs,
    // enqueue waits for the queue to drain.
    campaigns.worker({
      concurrency: 8,
      apiKey: run.target.apiKey,
      ...(run.target.baseUrl === undefined ? {} : { baseUrl: run.target.baseUrl }),
      handleSignals: false
    })
    console.log(`Queueing ${run.what} for ${run.target.label}…`)
    const result = await campaigns.enqueue({
      campaignId: CAMPAIGN_ID,
      from: run.from,
      recipients: withOpenWindows(run.recipients, run.target, run.from, run.stop)
    })
    console.log(`Queued ${result.added}; invalid ${result.invalidCount}; unreadable ${run.unreadable()}.`)
    for (const invalid of result.invalid.slice(0, 10)) console.log(`  invalid: ${JSON.stringify(invalid)}`)

    const bar = createProgress(result.added, process.stderr)
    let progress = await campaigns.progress(CAMPAIGN_ID)
    while (progress.pending > 0 && !run.stop.aborted) {
      await sleep(POLL_INTERVAL)
      progress = await campaigns.progress(CAMPAIGN_ID)
      bar.update(progress.sent, progress.notSent + progress.unknown)
    }
    bar.end()
    console.log(totalsLine(progress))
    const parked = await campaigns.review(CAMPAIGN_ID)
    console.log(
      parked.length === 0 ? "Review: nothing parked." : `Review: ${parked.length} parked (may have been sent):`
    )
    for (const message of parked) console.log(`  ${message.key}  ${message.reason}: ${message.detail}`)
    if (run.stop.aborted) return 130
    return progress.sent === progress.total ? 0 : 1
  } finally {
    // Waits for the messages in flight, so none is left with an unknown outcome.
    await campaigns.close()
  }
}

/**
 * `campaign`: a local redis-server, `@oneroute/queue`'s importer and one in-process worker send a
 * campaign end to end, with a progress bar, the totals and the parked messages. Returns the exit
 * code: 0 when every recipient was sent, 130 when interrupted.
 */
export const campaign = async (target: Target, from: string, command: CampaignCommand): Promise<number> => {
  if (!onPath("redis-server", process.env.PATH)) {
    console.log(REDIS_MISSING)
    return 0
  }
  const file = command.size === undefined ? (command.file ?? EXAMPLE_CAMPAIGN) : undefined
  if (file !== undefined) {
    await access(file).catch((error: Error) => {
      throw new InputFileError(`cannot read ${file}: ${error.message}`)
    })
  }
  const source = file === undefined ? undefined : recipientsFromCsv(file)
  // Listening from the start: Node's default exit on SIGINT would leave redis-server running.
  const stop = new AbortController()
  const interrupt = () => {
    console.error("\nInterrupted: closing the worker and redis-server…")
    stop.abort()
  }
  process.once("SIGINT", interrupt)
  try {
    // No RDB snapshots, no AOF: the server keeps nothing on disk, which is why the demo is only a demo.
    const redis = await startRedis()
    console.log(`Started redis-server (pid ${redis.pid}) at ${redis.url}.`)
    console.log(
      'It keeps nothing on disk (--save "" --appendonly no), so this is a demo: a real campaign needs a durable Redis (see @oneroute/queue\'s README).'
    )
    try {
      return await runCampaign(redis.url, {
        target,
        from,
        what: file === undefined ? `${command.size} generated recipients` : relative(process.cwd(), file) || file,
        recipients: source?.recipients ?? generated(command.size ?? 0),
        unreadable: () => source?.unreadable() ?? 0,
        stop: stop.signal
      })
    } finally {
      await redis.stop()
      console.log("Closed the worker and stopped redis-server.")
    }
  } finally {
    process.removeListener("SIGINT", interrupt)
  }
}
