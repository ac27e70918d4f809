// Runs .ci/run on fresh clones of the committed main while the CPU is saturated, to prove the
// suite does not depend on an idle machine. It starts the busy processes itself (three per core
// by default) for the whole run and stops them however the script ends.
//
//   node scripts/ci-under-load.mjs [--runs 3] [--busy 6]      (--busy 0 measures the idle suite)
import { spawn, spawnSync } from "node:child_process"
import { cpSync, createWriteStream, existsSync, mkdtempSync } from "node:fs"
import { availableParallelism, tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    busy: { type: "string", default: String(availableParallelism() * 3) }
  }
})
const runs = Number(values.runs)
const busyCount = Number(values.busy)
const top = spawnSync("git", ["rev-parse", "--show-toplevel"], { encoding: "utf8" }).stdout.trim()

const busy = []
const stopBusy = () => {
  for (const child of busy.splice(0)) child.kill("SIGKILL")
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopBusy()
    process.exit(130)
  })
}
process.on("exit", stopBusy)

const runOnce = (index) =>
  new Promise((done) => {
    const work = mkdtempSync(join(tmpdir(), "ci-under-load-"))
    const project = join(work, "project")
    spawnSync("git", ["clone", "-q", "--branch", "main", top, project], { stdio: "inherit" })
    // .ci/run may read ../shared, as on CI.
    const shared = resolve(top, "../shared")
    if (existsSync(shared)) cpSync(shared, join(work, "shared"), { recursive: true })
    const log = join(work, "ci.log")
    const out = createWriteStream(log)
    console.log(`run ${index}: ${project} (log: ${log}), ${busyCount} busy processes`)
    const started = performance.now()
    const ci = spawn("bash", [".ci/run"], { cwd: project, env: { ...process.env, CI: "true" }, stdio: "pipe" })
    let tail = ""
    const collect = (chunk) => {
      out.write(chunk)
      tail = (tail + chunk).slice(-20_000)
    }
    ci.stdout.on("data", collect)
    ci.stderr.on("data", collect)
    ci.on("close", (code) => {
      out.end()
      const seconds = (performance.now() - started) / 1000
      const summary = tail.trim().split("\n").at(-1)
      const slowest = /Slowest tests:\n((?:.*\n){0,10})/.exec(tail)?.[1] ?? ""
      done({ index, code, seconds, summary, slowest, log })
    })
  })

for (let index = 0; index < busyCount; index++) {
  busy.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }))
}
const results = []
for (let index = 1; index <= runs; index++) {
  const result = await runOnce(index)
  results.push(result)
  console.log(
    `run ${index}: exit ${result.code} after ${result.seconds.toFixed(0)} s: ${result.summary}\n${result.slowest}`
  )
}
stopBusy()
const failed = results.filter((result) => result.code !== 0)
console.log(
  `${runs} runs under ${busyCount} busy processes: ${runs - failed.length} passed, ${failed.length} failed; ` +
    `wall times ${results.map((result) => `${result.seconds.toFixed(0)} s`).join(", ")}`
)
process.exit(failed.length === 0 ? 0 : 1)
