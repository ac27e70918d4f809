// The one test command: Chromium check, then lint, typecheck and every package's tests through
// turbo, then one summary line with the totals of all suites.
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const suiteDirs = ["packages", "apps"].flatMap((group) => readdirSync(group).map((name) => join(group, name)))
const reports = (dir) => ({ json: join(dir, "test-results.json"), junit: join(dir, "test-results.xml") })
// A suite that crashes must not be counted from an earlier run's report (turbo restores cached ones).
for (const dir of suiteDirs) for (const file of Object.values(reports(dir))) rmSync(file, { force: true })

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: "inherit", shell: false })
  if (result.error) console.error(`${command}: ${result.error.message} (run this through "npx -y pnpm@12.4.2 test")`)
  return result.status ?? 1
}

const chromium = run(process.execPath, ["scripts/ensure-chromium.mjs"])
const turbo =
  chromium === 0 ? run("turbo", ["run", "lint", "typecheck", "test", "--continue", ...process.argv.slice(2)]) : 1

/** Totals from each suite's report: vitest's JSON reporter, or Deno's JUnit XML. */
const totals = { passed: 0, failed: 0 }
for (const dir of suiteDirs) {
  const { json, junit } = reports(dir)
  if (existsSync(json)) {
    const report = JSON.parse(readFileSync(json, "utf8"))
    totals.passed += report.numPassedTests
    totals.failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0)
  } else if (existsSync(junit)) {
    const xml = readFileSync(junit, "utf8")
    const suites = /<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"(?:[^>]*\berrors="(\d+)")?/.exec(xml)
    if (suites) {
      const failed = Number(suites[2]) + Number(suites[3] ?? 0)
      totals.passed += Number(suites[1]) - failed
      totals.failed += failed
    }
  }
}
// A failed lint or typecheck step counts as one failure when no test failed.
const failed = totals.failed === 0 && turbo !== 0 ? 1 : totals.failed
const summary = `${totals.passed} passed, ${failed} failed`
console.log(summary)
// .ci/run prints it again as its very last line, after pnpm's own failure notice.
writeFileSync(".test-summary", `${summary}\n`)
process.exit(turbo === 0 && totals.failed === 0 ? 0 : 1)
