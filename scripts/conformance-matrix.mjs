// The Node adapter's conformance suite (packages/node/test/conformance.test.ts) on every Node of the
// matrix (scripts/lib/node-binaries.mjs), one vitest JSON report per Node in its own dir, which
// scripts/test.mjs counts in the totals. Needs the packages built (the test imports @oneroute/testkit).
// Run alone: node scripts/conformance-matrix.mjs
import { spawnSync } from "node:child_process"
import { rmSync } from "node:fs"
import { join, resolve } from "node:path"
import { ensureNodes, matrix, matrixReportDirs } from "./lib/node-binaries.mjs"

const vitest = resolve("node_modules/vitest/vitest.mjs")
const dirs = matrixReportDirs()
for (const dir of dirs) rmSync(join(dir, "test-results.json"), { force: true })
const nodes = ensureNodes()
let failed = 0
for (const [index, version] of matrix.entries()) {
  const dir = dirs[index]
  console.log(`\nConformance on Node ${version}`)
  const args = [vitest, "run", "test/conformance.test.ts", "--reporter=dot", "--reporter=json"]
  const result = spawnSync(nodes[version], [...args, `--outputFile.json=${join(dir, "test-results.json")}`], {
    cwd: "packages/node",
    stdio: "inherit",
    timeout: 5 * 60_000
  })
  if (result.status !== 0) failed++
}
console.log(`Conformance matrix: ${matrix.length - failed} of ${matrix.length} Nodes passed (${matrix.join(", ")})`)
process.exit(failed === 0 ? 0 : 1)
