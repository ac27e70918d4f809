// `pnpm bench`: the SDK against raw undici, fetch and axios on the Node that runs this, printed as
// one Markdown table plus the targets of issue 8. Progress goes to stderr, the tables to stdout.
//
//   node --expose-gc bench/run.mjs [--rounds 7] [--c1 1000] [--c64 5000] [--cold 7] [--rss 10000] [--soak]
//
// Throughput: every client in this process against one loopback server in a child process,
// interleaved rounds (each client once per round per concurrency, order rotated), fixed counts,
// medians. Cold start and peak RSS: fresh `node` processes. A missed target never fails the run;
// a measurement whose sends failed does (exit 1, after the table, with a line naming each one), as
// does a failed --soak: a bench that cannot fail measures nothing.
import { spawn, spawnSync } from "node:child_process"
import { once } from "node:events"
import { cpus, loadavg } from "node:os"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { kb, measureBundle } from "./bundle.mjs"
import { clients } from "./clients.mjs"

const { values: flags } = parseArgs({
  options: {
    rounds: { type: "string", default: "7" },
    c1: { type: "string", default: "1000" },
    c64: { type: "string", default: "5000" },
    cold: { type: "string", default: "7" },
    rss: { type: "string", default: "10000" },
    soak: { type: "boolean", default: false }
  }
})
const ROUNDS = Number(flags.rounds)
const LEVELS = [
  { concurrency: 1, count: Number(flags.c1) },
  { concurrency: 64, count: Number(flags.c64) }
]
const here = (file) => fileURLToPath(new URL(file, import.meta.url))
const log = (line) => process.stderr.write(`${line}\n`)

const median = (values) => {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const rotate = (items, by) => items.map((_, i) => items[(i + by) % items.length])
const shortError = (error) =>
  String(error?.message ?? error)
    .split("\n")[0]
    .slice(0, 70)

// Bounded time for everything: a hung client becomes an error in its row, not a hung bench.
const withTimeout = (promise, ms, what) => {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

// The loopback server in its own process, so it does not share the clients' event loop and CPU
// accounting. It exits when its stdin closes; the exit hook also covers a crash of this script.
const startServer = async () => {
  const child = spawn(process.execPath, [here("../packages/node/bench/loopbackServer.mjs")], {
    stdio: ["pipe", "pipe", "inherit"]
  })
  process.on("exit", () => child.kill())
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130))
  const [port] = await withTimeout(once(createInterface({ input: child.stdout }), "line"), 15_000, "loopback server")
  return {
    url: `http://127.0.0.1:${Number(port)}`,
    stop: () => {
      child.stdin.end()
      child.kill()
    }
  }
}

const throughput = async (url) => {
  const rows = clients.map((client) => ({ name: client.name, make: client.make, samples: new Map() }))
  for (const row of rows) {
    log(`warm-up ${row.name}`)
    try {
      row.instance = await withTimeout(row.make(url), 30_000, "make")
      // Warm-up: connections opened, code JIT-compiled, before anything is measured.
      await withTimeout(row.instance.run(200, 1), 60_000, "warm-up c=1")
      await withTimeout(row.instance.run(1_000, 64), 60_000, "warm-up c=64")
    } catch (error) {
      row.error = shortError(error)
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const { concurrency, count } of LEVELS) {
      for (const row of rotate(rows, round)) {
        if (row.error !== undefined) continue
        // A collection first, so no client pays for the previous client's garbage.
        globalThis.gc?.()
        const cpu = process.cpuUsage()
        const start = process.hrtime.bigint()
        try {
          await withTimeout(row.instance.run(count, concurrency), 120_000, `c=${concurrency}`)
        } catch (error) {
          row.error = shortError(error)
          continue
        }
        const seconds = Number(process.hrtime.bigint() - start) / 1e9
        const used = process.cpuUsage(cpu)
        const samples = row.samples.get(concurrency) ?? []
        samples[round] = { rps: count / seconds, cpuUs: (used.user + used.system) / count }
        row.samples.set(concurrency, samples)
      }
    }
    log(`round ${round + 1}/${ROUNDS} done`)
  }
  await Promise.allSettled(rows.map((row) => row.instance?.close()))
  // Ratios are taken within a round (same machine state), then the median over rounds.
  const base = rows[0].samples
  return rows.map((row) => ({
    name: row.name,
    error: row.error,
    levels: new Map(
      LEVELS.map(({ concurrency }) => {
        const samples = row.samples.get(concurrency) ?? []
        const ratios = samples.flatMap((s, round) => {
          const b = base.get(concurrency)?.[round]
          return s && b ? [s.rps / b.rps] : []
        })
        return [
          concurrency,
          {
            rps: median(samples.filter(Boolean).map((s) => s.rps)),
            cpuUs: median(samples.filter(Boolean).map((s) => s.cpuUs)),
            ratio: median(ratios),
            spread: ratios.length > 1 && row !== rows[0] ? [Math.min(...ratios), Math.max(...ratios)] : undefined
          }
        ]
      })
    )
  }))
}

// A fresh `node` process: resolves with its wall time in ms (spawn to exit) and its stdout.
const runChild = async (args, timeoutMs) => {
  const start = process.hrtime.bigint()
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk) => (stdout += chunk))
  child.stderr.on("data", (chunk) => (stderr += chunk))
  try {
    const [code] = await withTimeout(once(child, "exit"), timeoutMs, args[0].split("/").pop())
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (code !== 0) {
      // Node ends an uncaught error's report with its version: show the error line instead.
      const lines = stderr.trim().split("\n")
      throw new Error(`exit ${code}: ${lines.find((line) => /^\w*Error\b/.test(line)) ?? lines.pop()}`)
    }
    return { ms, stdout }
  } finally {
    child.kill()
  }
}

const COLD = [
  { name: "raw undici", script: "coldStart/undici.mjs" },
  { name: "axios", script: "coldStart/axios.mjs" },
  { name: "SDK Promise", script: "coldStart/sdk.mjs" }
]

const coldStart = async (url) => {
  const times = new Map(COLD.map(({ name }) => [name, []]))
  const errors = new Map()
  // One discarded run each first, so no client pays for a cold file-system cache.
  for (let run = -1; run < Number(flags.cold); run++) {
    for (const { name, script } of rotate(COLD, Math.max(run, 0))) {
      if (errors.has(name)) continue
      try {
        const { ms } = await runChild([here(script), url], 30_000)
        if (run >= 0) times.get(name).push(ms)
      } catch (error) {
        errors.set(name, shortError(error))
      }
    }
  }
  log("cold start done")
  return new Map(COLD.map(({ name }) => [name, { ms: median(times.get(name)), error: errors.get(name) }]))
}

const peakRss = async (url) => {
  const result = new Map()
  for (const { name } of COLD) {
    try {
      const { stdout } = await runChild([here("peakRss.mjs"), name, url, flags.rss], 180_000)
      result.set(name, { mb: JSON.parse(stdout.trim().split("\n").pop()).maxRssKb / 1024 })
    } catch (error) {
      result.set(name, { error: shortError(error) })
    }
    log(`peak RSS ${name} done`)
  }
  return result
}

// Markdown with padded columns, so it reads in a terminal and pastes into notes.
const table = (header, rows) => {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => String(row[i]).length)))
  const line = (row) => `| ${row.map((cell, i) => String(cell).padEnd(widths[i])).join(" | ")} |`
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n")
}
const fixed = (value, digits = 0) => (value === undefined ? "—" : value.toFixed(digits))
const times = (value) => (value === undefined ? "—" : `${value.toFixed(2)}x`)

const describeMachine = () => {
  const git = (args) => spawnSync("git", args, { encoding: "utf8" }).stdout?.trim() ?? ""
  const dirty =
    git(["status", "--porcelain", "--untracked-files=no", "--", "packages"]) === ""
      ? ""
      : " + uncommitted changes in packages/"
  return [
    `## OneRoute SDK bench: Node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} × ${cpus()[0]?.model.trim()}`,
    "",
    `Commit ${git(["rev-parse", "--short", "HEAD"])}${dirty}; load average ${startLoad.toFixed(1)} at start, ` +
      `${loadavg()[0].toFixed(1)} at the end${startLoad >= 1 ? " (a busy machine: expect wide ranges)" : ""}. ` +
      `${ROUNDS} interleaved rounds of ${LEVELS.map((l) => `${l.count} sends at c=${l.concurrency}`).join(" and ")} ` +
      `per client, medians; shares are to raw undici in the same round (range over rounds). Cold start: median of ${flags.cold} fresh ` +
      `processes, spawn to exit after the first answer. Peak RSS: maxRSS of a fresh process after ${flags.rss} sends at c=64.`
  ].join("\n")
}

const report = ({ sends, cold, rss, bundle }) => {
  const coldBase = cold.get("raw undici")?.ms
  const rssBase = rss.get("raw undici")?.mb
  const rows = sends.map(({ name, error, levels }) => {
    const cells = LEVELS.flatMap(({ concurrency }) => {
      const level = levels.get(concurrency)
      // The range over rounds next to the median, so noise shows.
      const range = level.spread && ` (${level.spread.map((r) => r.toFixed(2)).join("–")})`
      return [fixed(level.rps), `${times(level.ratio)}${range ?? ""}`, fixed(level.cpuUs)]
    })
    if (error !== undefined) cells[0] = `failed: ${error}`
    const c = cold.get(name)
    const r = rss.get(name)
    return [
      name,
      ...cells,
      c === undefined ? "—" : (c.error ?? fixed(c.ms)),
      c?.ms === undefined || coldBase === undefined ? "—" : times(c.ms / coldBase),
      r === undefined ? "—" : (r.error ?? fixed(r.mb)),
      r?.mb === undefined || rssBase === undefined ? "—" : times(r.mb / rssBase)
    ]
  })
  const main = table(
    [
      "client",
      "c=1 req/s",
      "c=1 share",
      "c=1 CPU µs/req",
      "c=64 req/s",
      "c=64 share",
      "c=64 CPU µs/req",
      "cold start ms",
      "cold ×",
      "peak RSS MB",
      "RSS ×"
    ],
    rows
  )

  const ratio = (name, concurrency) => sends.find((row) => row.name === name)?.levels.get(concurrency).ratio
  const atLeast = (value, target) => [times(value), value === undefined ? "n/a" : value >= target ? "PASS" : "MISS"]
  const atMost = (value, target, show) => [show(value), value === undefined ? "n/a" : value <= target ? "PASS" : "MISS"]
  const ahead = (name, concurrency) => {
    const [own, others] = [ratio(name, concurrency), [ratio("fetch", concurrency), ratio("axios", concurrency)]]
    const known = own !== undefined && others.every((other) => other !== undefined)
    return [
      `${times(own)} vs fetch ${times(others[0])}, axios ${times(others[1])}`,
      known ? (others.every((other) => own > other) ? "PASS" : "MISS") : "n/a"
    ]
  }
  const coldRatio = cold.get("SDK Promise")?.ms / coldBase
  const rssRatio = rss.get("SDK Promise")?.mb / rssBase
  const targets = table(
    ["target (issue 8)", "figure", "result"],
    [
      ["SDK Promise ≥ 0.70x raw undici at c=64", ...atLeast(ratio("SDK Promise", 64), 0.7)],
      ["SDK Promise ≥ 0.80x raw undici at c=1", ...atLeast(ratio("SDK Promise", 1), 0.8)],
      ["SDK Effect ≥ 0.50x raw undici at c=64", ...atLeast(ratio("SDK Effect", 64), 0.5)],
      ["SDK Promise ahead of fetch and axios at c=1", ...ahead("SDK Promise", 1)],
      ["SDK Promise ahead of fetch and axios at c=64", ...ahead("SDK Promise", 64)],
      ["SDK Effect ahead of fetch and axios at c=1", ...ahead("SDK Effect", 1)],
      ["SDK Effect ahead of fetch and axios at c=64", ...ahead("SDK Effect", 64)],
      ["SDK cold start ≤ 1.5x raw undici", ...atMost(Number.isNaN(coldRatio) ? undefined : coldRatio, 1.5, times)],
      ["SDK peak RSS ≤ 1.5x raw undici", ...atMost(Number.isNaN(rssRatio) ? undefined : rssRatio, 1.5, times)],
      [
        "browser relay page ≤ 60 KB min+gz (aim 50)",
        ...atMost(bundle.gzipBytes, 60 * 1024, (bytes) => (bytes === undefined ? `failed: ${bundle.error}` : kb(bytes)))
      ]
    ]
  )
  const contributors =
    bundle.error === undefined
      ? [
          `### Browser relay page: ${kb(bundle.minBytes)} min, ${kb(bundle.gzipBytes)} min+gz (esbuild ${bundle.esbuild}, gzip -9)`,
          "",
          table(
            ["top contributor", "min bytes", "share"],
            bundle.top.map(([name, bytes]) => [name, bytes, `${((100 * bytes) / bundle.minBytes).toFixed(1)} %`])
          ),
          "",
          `By package: ${bundle.packages.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(", ")} (min).`
        ].join("\n")
      : `### Browser relay page: failed: ${bundle.error}`
  return [describeMachine(), main, "### Targets", targets, contributors].join("\n\n")
}

const started = Date.now()
/** Measurements that failed (their sends, or the soak): any makes the run exit 1. */
const failures = []
// Taken before anything runs: other work on a 2-core machine is the main source of noise.
const startLoad = loadavg()[0]
const server = await startServer()
try {
  const sends = await throughput(server.url)
  const cold = await coldStart(server.url)
  const rss = await peakRss(server.url)
  const bundle = await measureBundle().catch((error) => ({ error: shortError(error) }))
  console.log(report({ sends, cold, rss, bundle }))
  log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s`)
  for (const row of sends) if (row.error !== undefined) failures.push(`throughput of ${row.name}: ${row.error}`)
  for (const [name, c] of cold) if (c.error !== undefined) failures.push(`cold start of ${name}: ${c.error}`)
  for (const [name, r] of rss) if (r.error !== undefined) failures.push(`peak RSS of ${name}: ${r.error}`)
  if (bundle.error !== undefined) failures.push(`browser bundle: ${bundle.error}`)
} finally {
  server.stop()
}

// The relay soak (~2 minutes, packages/node/bench/relaySoak.mjs) only on request, after the table.
if (flags.soak) {
  log("\nrelay soak (packages/node/bench/relaySoak.mjs):")
  const soak = spawnSync(process.execPath, ["bench/relaySoak.mjs"], { cwd: here("../packages/node"), stdio: "inherit" })
  if (soak.status !== 0) failures.push(`relay soak: exit ${soak.status ?? soak.signal}`)
}

if (failures.length > 0) {
  log(`\nbench FAILED: ${failures.length} measurement(s) failed, their figures are missing:`)
  for (const failure of failures) log(`  - ${failure}`)
  process.exitCode = 1
}
