// A campaign worker in its own process, for the crash and rate-limit tests (forked by them).
// argv: storeUrl (redis:// or postgres://) queueName concurrency baseUrl apiKey lockDuration stalledInterval [rateMax rateDuration]
// It reports "ready" and, for each outcome, the transition over IPC.
import { makeCampaigns } from "../../dist/index.js"

const [storeUrl, queueName, concurrency, baseUrl, apiKey, lockDuration, stalledInterval, rateMax, rateDuration] =
  process.argv.slice(2)
const store = storeUrl.startsWith("postgres")
  ? {
      postgres: new (await import("pg")).default.Pool({
        connectionString: storeUrl,
        options: "-c search_path=bullmq,public"
      })
    }
  : { redis: storeUrl }
const campaigns = makeCampaigns({
  ...store,
  queueName,
  durability: "best-effort",
  backoff: 200,
  ...(rateMax === undefined ? {} : { rateLimit: { max: Number(rateMax), duration: Number(rateDuration) } })
})
const worker = campaigns.worker({
  concurrency: Number(concurrency),
  baseUrl,
  apiKey,
  timeout: 20_000,
  lockDuration: Number(lockDuration),
  stalledInterval: Number(stalledInterval),
  onOutcome: (event) => process.send?.({ type: "outcome", transition: event.transition, key: event.key })
})
await worker.ready()
process.send?.({ type: "ready" })
process.once("SIGTERM", () => {
  // The worker closed itself gracefully (handleSignals); close the rest, then exit.
  void campaigns
    .close()
    .then(() => store.postgres?.end())
    .then(() => process.exit(0))
})
