// `pnpm bench --queue`: @oneroute/queue on BullMQ against the in-process loop (the demo's
// `send --file`: one process, a pool of sends), all on loopback: a redis-server started here on a
// free port (no persistence: the figures are the engine's, not the disk's) and the emulator of
// @oneroute/testkit in this process. Progress goes to stderr, the table to stdout.
//
//   node bench/queue.mjs [--messages 5000] [--concurrency 16] [--latency 0] [--memory 20000]
//
// - throughput: messages/s and CPU ms per message (user + system of the sending processes, the
//   emulator's excluded) for the in-process loop, one worker process and two worker processes;
// - Redis memory per waiting job (jobs queued, no worker) and per ledger entry (all sent, the jobs
//   removed);
// - the time from SIGKILL of a worker (lockDuration and stalledInterval 5 s, as the tests
//   recommend) to the first redelivery of one of its messages (parked on the other worker).
// Every phase is bounded; a send that fails, a message left pending or a duplicate fails the
// bench (exit 1): a bench that cannot fail measures nothing.
import { fork } from "node:child_process"
import { createRequire } from "node:module"
import { parseArgs } from "node:util"

const queuePackage = new URL("../packages/queue/dist/index.js", import.meta.url)
const nodePackage = new URL("../packages/node/dist/index.js", import.meta.url)
const testkitPackage = new URL("../packages/testkit/dist/index.js", import.meta.url)
const BUSINESS = "2348000000001"
const customer = (i) => `23480${String(i).padStart(8, "0")}`
const log = (line) => process.stderr.write(`${line}\n`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// ---- A worker process (this file, forked with --worker) -------------------------------------
if (process.argv[2] === "--worker") {
  const [redisUrl, queueName, concurrency, baseUrl, apiKey, lockMs] = process.argv.slice(3)
  const { makeCampaigns } = await import(queuePackage)
  const campaigns = makeCampaigns({ redis: redisUrl, queueName, durability: "best-effort" })
  const worker = campaigns.worker({
    concurrency: Number(concurrency),
    baseUrl,
    apiKey,
    lockDuration: Number(lockMs),
    stalledInterval: Number(lockMs),
    onOutcome: (event) => {
      if (event.error === "redelivered") process.send?.({ type: "redelivered", at: Date.now() })
    }
  })
  await worker.ready()
  // The CPU of the start (loading modules, connecting) is not a message's.
  const startCpu = process.cpuUsage()
  process.send?.({ type: "ready" })
  process.on("message", async (message) => {
    if (message === "stop") {
      await campaigns.close()
      process.send?.({ type: "cpu", usage: process.cpuUsage(startCpu) })
      process.disconnect()
    }
  })
} else {
  await main()
}

async function main() {
  const { values: flags } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== "--queue" && arg !== "--"),
    options: {
      messages: { type: "string", default: "5000" },
      concurrency: { type: "string", default: "16" },
      latency: { type: "string", default: "0" },
      memory: { type: "string", default: "20000" }
    }
  })
  const MESSAGES = Number(flags.messages)
  const CONCURRENCY = Number(flags.concurrency)
  const LATENCY = Number(flags.latency)
  const MEMORY_JOBS = Number(flags.memory)

  // A throwaway redis-server on a free loopback port (no persistence), and the emulator.
  const { startEmulator, startRedis } = await import(testkitPackage)
  const { createClient } = await import(nodePackage)
  const { makeCampaigns } = await import(queuePackage)
  // ioredis is the queue package's dependency (the bench package does not list it).
  const { Redis } = await import(createRequire(queuePackage).resolve("ioredis"))

  const redis = await startRedis()
  const emulator = await startEmulator()
  const admin = new Redis(redis.url)
  const problems = []
  const rows = []
  let queueCount = 0

  const prepare = () => {
    emulator.reset()
    for (let i = 0; i < MESSAGES; i++) emulator.receiveInbound({ from: customer(i), to: BUSINESS })
    if (LATENCY > 0) emulator.inject({ kind: "latency", ms: LATENCY, times: MESSAGES * 2 })
  }
  const recipients = (count) => Array.from({ length: count }, (_, i) => ({ to: customer(i), message: `Bench ${i}` }))
  const checkSends = (what) => {
    const perNumber = new Map()
    for (const sent of emulator.sent()) perNumber.set(sent.to, (perNumber.get(sent.to) ?? 0) + 1)
    const duplicates = [...perNumber.values()].filter((n) => n > 1).length
    if (perNumber.size !== MESSAGES || duplicates > 0) {
      problems.push(`${what}: ${perNumber.size} of ${MESSAGES} numbers got a message, ${duplicates} more than one`)
    }
  }
  const cpuMs = (usage) => (usage.user + usage.system) / 1000

  try {
    // 1. The in-process loop.
    {
      prepare()
      log(`in-process loop: ${MESSAGES} messages, ${CONCURRENCY} in flight`)
      const client = createClient({ baseUrl: emulator.url, apiKey: emulator.apiKey, retry: false })
      const items = recipients(MESSAGES)
      let next = 0
      let failed = 0
      const cpuBefore = process.cpuUsage()
      const started = performance.now()
      await withTimeout(
        Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < items.length) {
              const item = items[next++]
              await client.sendSessionMessage({ from: BUSINESS, ...item }).catch(() => failed++)
            }
          })
        ),
        300_000,
        "the in-process loop"
      )
      const seconds = (performance.now() - started) / 1000
      // The emulator runs in this process too: its CPU is in this figure.
      const cpu = cpuMs(process.cpuUsage(cpuBefore))
      await client.close()
      if (failed > 0) problems.push(`in-process loop: ${failed} sends failed`)
      checkSends("in-process loop")
      rows.push(["in-process loop (emulator's CPU included)", MESSAGES / seconds, cpu / MESSAGES])
    }

    // 2. One and two worker processes.
    for (const processes of [1, 2]) {
      prepare()
      const queueName = `bench${++queueCount}`
      const campaigns = makeCampaigns({ redis: redis.url, queueName, durability: "best-effort" })
      log(`${processes} worker process(es): ${MESSAGES} messages, concurrency ${CONCURRENCY} each`)
      // The workers start first (a process start is not the engine's cost); the clock runs from
      // the import, which feeds the queue while they send.
      const workers = await Promise.all(
        Array.from({ length: processes }, () =>
          startWorker([redis.url, queueName, CONCURRENCY, emulator.url, emulator.apiKey, 30_000])
        )
      )
      const started = performance.now()
      await campaigns.enqueue({ campaignId: queueName, from: BUSINESS, recipients: recipients(MESSAGES) })
      await waitFor(async () => (await campaigns.progress(queueName)).pending === 0, 300_000, "the campaign to settle")
      const seconds = (performance.now() - started) / 1000
      const cpu = (await Promise.all(workers.map((worker) => worker.stop()))).reduce(
        (sum, usage) => sum + cpuMs(usage),
        0
      )
      const progress = await campaigns.progress(queueName)
      if (progress.sent !== MESSAGES) problems.push(`${processes} worker(s): ${JSON.stringify(progress)}`)
      checkSends(`${processes} worker(s)`)
      await campaigns.close()
      rows.push([
        `${processes} worker process${processes > 1 ? "es" : ""} (import included)`,
        MESSAGES / seconds,
        cpu / MESSAGES
      ])
    }

    // 3. Redis memory per waiting job and per ledger entry.
    log(`Redis memory: ${MEMORY_JOBS} waiting jobs, then their ledger entries`)
    const memory = async () => Number(/used_memory:(\d+)/.exec(await admin.info("memory"))[1])
    const memoryQueue = `bench${++queueCount}`
    const campaigns = makeCampaigns({
      redis: redis.url,
      queueName: memoryQueue,
      durability: "best-effort",
      window: { size: 1000, maxWaiting: MEMORY_JOBS + 1 }
    })
    const before = await memory()
    await campaigns.enqueue({ campaignId: "memory", from: BUSINESS, recipients: recipients(MEMORY_JOBS) })
    const waiting = await memory()
    // BullMQ's keys of this queue go; the ledger's stay.
    for (let cursor = "0"; ; ) {
      const [next, keys] = await admin.scan(cursor, "MATCH", `bull:${memoryQueue}:*`, "COUNT", 1000)
      if (keys.length > 0) await admin.del(...keys)
      cursor = next
      if (cursor === "0") break
    }
    const ledgerOnly = await memory()
    await campaigns.close()
    const perJob = (waiting - ledgerOnly) / MEMORY_JOBS
    const perEntry = (ledgerOnly - before) / MEMORY_JOBS

    // 4. SIGKILL to the first redelivery.
    prepare()
    emulator.inject({ kind: "latency", ms: 50, times: MESSAGES * 2 })
    const killQueue = `bench${++queueCount}`
    const killCampaigns = makeCampaigns({ redis: redis.url, queueName: killQueue, durability: "best-effort" })
    await killCampaigns.enqueue({ campaignId: "kill", from: BUSINESS, recipients: recipients(MESSAGES) })
    const lockMs = 5000
    const [victim, survivor] = await Promise.all([
      startWorker([redis.url, killQueue, CONCURRENCY, emulator.url, emulator.apiKey, lockMs]),
      startWorker([redis.url, killQueue, CONCURRENCY, emulator.url, emulator.apiKey, lockMs])
    ])
    await waitFor(async () => (await killCampaigns.progress("kill")).sent >= MESSAGES / 10, 120_000, "a tenth sent")
    log("SIGKILL to one worker; waiting for its messages to be handed out again")
    victim.child.kill("SIGKILL")
    const killedAt = Date.now()
    const redeliveredAt = await withTimeout(survivor.firstRedelivery, 120_000, "the first redelivery")
    await waitFor(
      async () => (await killCampaigns.progress("kill")).pending === 0,
      300_000,
      "the killed campaign to settle"
    )
    await survivor.stop()
    const killed = await killCampaigns.progress("kill")
    const perNumber = new Map()
    for (const sent of emulator.sent()) perNumber.set(sent.to, (perNumber.get(sent.to) ?? 0) + 1)
    const duplicates = [...perNumber.values()].filter((n) => n > 1).length
    if (duplicates > 0 || killed.sent + killed.unknown !== MESSAGES) {
      problems.push(`kill: ${duplicates} duplicates, ${JSON.stringify(killed)}`)
    }
    await killCampaigns.close()

    console.log(`\n## @oneroute/queue (${MESSAGES} session messages, loopback, emulator latency ${LATENCY} ms)\n`)
    console.log("| how | messages/s | CPU ms per message |")
    console.log("| --- | ---: | ---: |")
    for (const [name, rate, cpu] of rows) console.log(`| ${name} | ${rate.toFixed(0)} | ${cpu.toFixed(3)} |`)
    console.log(`\n| Redis memory | bytes |\n| --- | ---: |`)
    console.log(`| per waiting job (BullMQ's job, ledger entry excluded) | ${perJob.toFixed(0)} |`)
    console.log(`| per ledger entry (job removed) | ${perEntry.toFixed(0)} |`)
    console.log(
      `\nSIGKILL → first redelivery: ${((redeliveredAt - killedAt) / 1000).toFixed(1)} s (lockDuration = stalledInterval = ${lockMs / 1000} s); ` +
        `parked ${killed.unknown}, duplicates ${duplicates}`
    )
  } finally {
    admin.disconnect()
    await emulator.close()
    await redis.stop()
  }
  if (problems.length > 0) {
    for (const problem of problems) log(`FAILED: ${problem}`)
    process.exit(1)
  }
}

async function startWorker(args) {
  const child = fork(new URL(import.meta.url).pathname, ["--worker", ...args.map(String)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  let onRedelivery
  const firstRedelivery = new Promise((resolve) => {
    onRedelivery = resolve
  })
  let onCpu
  const cpu = new Promise((resolve) => {
    onCpu = resolve
  })
  const exited = new Promise((resolve) => child.once("exit", resolve))
  await withTimeout(
    new Promise((resolve, reject) => {
      child.on("message", (message) => {
        if (message.type === "ready") resolve()
        if (message.type === "redelivered") onRedelivery(message.at)
        if (message.type === "cpu") onCpu(message.usage)
      })
      child.once("exit", (code) => reject(new Error(`a worker exited with ${code} before it was ready`)))
    }),
    60_000,
    "a worker's start"
  )
  return {
    child,
    firstRedelivery,
    stop: async () => {
      child.send("stop")
      const usage = await withTimeout(cpu, 60_000, "a worker's stop")
      await withTimeout(exited, 60_000, "a worker's exit")
      return usage
    }
  }
}

async function waitFor(check, ms, what) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`)
    await sleep(100)
  }
}

function withTimeout(promise, ms, what) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
