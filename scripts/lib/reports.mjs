// Reads the suites' reports: vitest's JSON reporter (test-results.json) or Deno's JUnit XML
// (test-results.xml), for the totals line and the slowest tests.
import { existsSync, readFileSync, rmSync } from "node:fs"
import { join, relative } from "node:path"

const files = (dir) => ({ json: join(dir, "test-results.json"), junit: join(dir, "test-results.xml") })

/** Deletes earlier reports, so a suite that crashes is not counted from a cached run. */
export const clearReports = (dirs) => {
  for (const dir of dirs) for (const file of Object.values(files(dir))) rmSync(file, { force: true })
}

const unescapeXml = (text) =>
  text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[name])

const readSuite = (dir) => {
  const { json, junit } = files(dir)
  if (existsSync(json)) {
    const report = JSON.parse(readFileSync(json, "utf8"))
    const tests = report.testResults.flatMap((file) =>
      file.assertionResults.map((test) => ({
        name: `${relative(process.cwd(), file.name)} › ${test.fullName}`,
        ms: test.duration ?? 0
      }))
    )
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0),
      tests
    }
  }
  if (existsSync(junit)) {
    const xml = readFileSync(junit, "utf8")
    const suites = /<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"(?:[^>]*\berrors="(\d+)")?/.exec(xml)
    const failed = suites ? Number(suites[2]) + Number(suites[3] ?? 0) : 1
    const tests = [...xml.matchAll(/<testcase name="([^"]*)" classname="[^"]*" time="([\d.]+)"/g)].map(
      ([, name, seconds]) => ({ name: `${dir} › ${unescapeXml(name)}`, ms: Number(seconds) * 1000 })
    )
    return { passed: suites ? Number(suites[1]) - failed : 0, failed, tests }
  }
  // No report from a suite that has tests: it crashed before reporting (a type error, say).
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  const hasTests = dir === "." ? "check:repository" in manifest.scripts : "test" in (manifest.scripts ?? {})
  return { passed: 0, failed: hasTests ? 1 : 0, tests: [] }
}

/** Totals of all suites and every test with its duration. */
export const readReports = (dirs) => {
  const suites = dirs.map(readSuite)
  return {
    passed: suites.reduce((sum, suite) => sum + suite.passed, 0),
    failed: suites.reduce((sum, suite) => sum + suite.failed, 0),
    tests: suites.flatMap((suite) => suite.tests)
  }
}
