// The one test command: Chromium and redis-server checks, then lint, typecheck, every package's
// tests and the repository checks through turbo, the Node adapter's conformance suite on Node 20, 22
// and 24 (scripts/conformance-matrix.mjs), the docs check (scripts/docs-check/check.mjs: every
// README, guide and @example block against the built packages), then the ten slowest tests and one
// summary line with the totals of all suites.
import { spawnSync } from "node:child_process"
import { readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { matrixReportDirs } from "./lib/node-binaries.mjs"
import { clearReports, readReports } from "./lib/reports.mjs"

const suiteDirs = [
  ".",
  ...["packages", "apps"].flatMap((group) => readdirSync(group).map((name) => join(group, name))),
  // The Node adapter's conformance suite on Node 20, 22 and 24 (scripts/conformance-matrix.mjs).
  ...matrixReportDirs(),
  // The docs check: one test per code block (scripts/docs-check/check.mjs).
  "scripts/docs-check"
]
// A suite that crashes must not be counted from an earlier run's report (turbo restores cached ones).
clearReports(suiteDirs)

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: "inherit", shell: false })
  if (result.error) console.error(`${command}: ${result.error.message} (run this through "npx -y pnpm@12.4.2 test")`)
  return result.status ?? 1
}

const system = run(process.execPath, ["scripts/ensure-system.mjs"])
const tasks = ["lint", "typecheck", "test", "check:repository"]
const ready = system === 0
const turbo = ready ? run("turbo", ["run", ...tasks, "--continue", ...process.argv.slice(2)]) : 1
const matrix = ready ? run(process.execPath, ["scripts/conformance-matrix.mjs"]) : 1
// After turbo, which built every package the blocks import.
const docs = ready ? run(process.execPath, ["scripts/docs-check/check.mjs"]) : 1

const totals = readReports(suiteDirs)
const slowest = totals.tests.sort((a, b) => b.ms - a.ms).slice(0, 10)
console.log(`Slowest tests:\n${slowest.map((test) => `${(test.ms / 1000).toFixed(2)} s  ${test.name}`).join("\n")}`)
// A failed lint or typecheck step (or a step that crashed before its report) counts as one failure
// when no test failed.
const stepsOk = turbo === 0 && matrix === 0 && docs === 0
const failed = totals.failed === 0 && !stepsOk ? 1 : totals.failed
const summary = `${totals.passed} passed, ${failed} failed`
console.log(summary)
// .ci/run prints it again as its very last line, after pnpm's own failure notice.
writeFileSync(".test-summary", `${summary}\n`)
process.exit(stepsOk && totals.failed === 0 ? 0 : 1)
