#!/usr/bin/env node
/**
 * `oneroute-queue`: enqueue a file, run a worker, watch, review and resolve a campaign.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import { type CampaignsOptions, makeCampaigns } from "./Campaigns.js"
import { recipientsFromCsv, recipientsFromJsonLines } from "./Files.js"
import { progressLine } from "./internal/progressBar.js"

const USAGE = `Usage: oneroute-queue <command> [options]

  enqueue  --campaign ID --from NUMBER FILE   queue a CSV (.csv) or JSON Lines file ("-" reads stdin as --format)
  worker   [--concurrency 8] [--rate-limit MAX/MS]   send (the API key from ONEROUTE_API_KEY); stops on SIGTERM
  status   --campaign ID [--watch]            the campaign's counts (--watch: a progress bar until done)
  review   --campaign ID                      the parked messages, one JSON object per line
  resolve  --campaign ID --key KEY --as sent|resend

Every command: --redis URL (default REDIS_URL) or --postgres URL (PostgreSQL ≥ 13, needs the pg
package), --queue NAME, --best-effort (accept a store that may lose writes: a restart can then
send a message twice), --format csv|jsonl.`

class UsageError extends Error {}

const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      redis: { type: "string" },
      postgres: { type: "string" },
      queue: { type: "string" },
      "best-effort": { type: "boolean" },
      campaign: { type: "string" },
      from: { type: "string" },
      format: { type: "string" },
      concurrency: { type: "string" },
      "rate-limit": { type: "string" },
      watch: { type: "boolean" },
      key: { type: "string" },
      as: { type: "string" },
      help: { type: "boolean", short: "h" }
    }
  })
  const [command, file] = positionals
  if (values.help || command === undefined) {
    console.log(USAGE)
    return
  }
  const required = (name: "campaign" | "from" | "key" | "as") => {
    const value = values[name]
    if (value === undefined) throw new UsageError(`${command} needs --${name}`)
    return value
  }
  const rateLimit = parseRateLimit(values["rate-limit"])
  const store = await storeOf(values.redis, values.postgres)
  const options: CampaignsOptions = {
    ...store.options,
    ...(values.queue === undefined ? {} : { queueName: values.queue }),
    ...(values["best-effort"] ? { durability: "best-effort" as const } : {}),
    ...(rateLimit === undefined ? {} : { rateLimit })
  }
  const campaigns = makeCampaigns(options)
  try {
    switch (command) {
      case "enqueue": {
        if (file === undefined) throw new UsageError("enqueue needs a FILE (or - for stdin)")
        const format =
          values.format ?? (/\.(jsonl|ndjson)$/i.test(file) ? "jsonl" : file.endsWith(".csv") ? "csv" : undefined)
        if (format !== "csv" && format !== "jsonl") throw new UsageError("Give --format csv or jsonl")
        const source = file === "-" ? process.stdin : file
        const read = format === "csv" ? recipientsFromCsv(source) : recipientsFromJsonLines(source)
        const result = await campaigns.enqueue({
          campaignId: required("campaign"),
          from: required("from"),
          recipients: read.recipients
        })
        console.log(JSON.stringify({ ...result, unreadable: read.unreadable() }))
        return
      }
      case "worker": {
        const concurrency = Number(values.concurrency ?? 8)
        if (!Number.isSafeInteger(concurrency) || concurrency < 1)
          throw new UsageError("--concurrency is a whole number ≥ 1")
        const worker = campaigns.worker({ concurrency })
        await worker.ready()
        console.error(
          `oneroute-queue: worker running (concurrency ${concurrency}); SIGTERM or Ctrl-C stops it gracefully`
        )
        await new Promise<void>((resolve) => {
          process.once("SIGTERM", resolve)
          process.once("SIGINT", resolve)
        })
        return
      }
      case "status": {
        const campaignId = required("campaign")
        if (!values.watch) {
          console.log(JSON.stringify(await campaigns.progress(campaignId)))
          return
        }
        // A terminal gets one bar redrawn in place; a pipe or file a line per change.
        const redraw = process.stdout.isTTY === true
        let last = ""
        for (;;) {
          const progress = await campaigns.progress(campaignId)
          const line = progressLine(progress, process.stdout.columns ?? 80)
          if (redraw) process.stdout.write(`\r${line}`)
          else if (line !== last) process.stdout.write(`${line}\n`)
          last = line
          if (progress.total > 0 && progress.pending === 0) break
          await new Promise((resolve) => setTimeout(resolve, 1000))
        }
        if (redraw) process.stdout.write("\n")
        return
      }
      case "review": {
        for (const message of await campaigns.review(required("campaign"))) console.log(JSON.stringify(message))
        return
      }
      case "resolve": {
        const decision = required("as")
        if (decision !== "sent" && decision !== "resend") throw new UsageError("--as is sent or resend")
        await campaigns.resolve(required("campaign"), required("key"), decision)
        return
      }
      default:
        throw new UsageError(`Unknown command ${JSON.stringify(command.slice(0, 40))}`)
    }
  } finally {
    await campaigns.close()
    await store.close()
  }
}

/** The store the campaigns live in: `--redis` (or `REDIS_URL`), or a pool of our own on `--postgres`. */
const storeOf = async (redis: string | undefined, postgres: string | undefined) => {
  if (redis !== undefined && postgres !== undefined) throw new UsageError("Give --redis or --postgres, not both")
  if (postgres === undefined) {
    const url = redis ?? (process.env.REDIS_URL || undefined)
    if (url === undefined) throw new UsageError("Give --redis URL (or set REDIS_URL) or --postgres URL")
    return { options: { redis: url }, close: async () => {} }
  }
  const pg = await import("pg").catch(() => {
    throw new Error("--postgres needs the pg package: npm install pg")
  })
  // BullMQ names its tables without their schema: the search_path must hold it.
  const pool = new pg.default.Pool({ connectionString: postgres, options: "-c search_path=bullmq,public" })
  // An idle connection lost (a server restart) is replaced at the next query; not a crash.
  pool.on("error", () => undefined)
  return { options: { postgres: pool }, close: () => pool.end() }
}

const parseRateLimit = (text: string | undefined) => {
  if (text === undefined) return undefined
  const match = /^(\d+)\/(\d+)$/.exec(text)
  if (match === null) throw new UsageError("--rate-limit is MAX/MS, such as 20/100")
  return { max: Number(match[1]), duration: Number(match[2]) }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    const usage =
      error instanceof UsageError ||
      (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))
    console.error(`oneroute-queue: ${error instanceof Error ? error.message : String(error)}`)
    if (usage) console.error(USAGE)
    process.exit(usage ? 2 : 1)
  }
)
