// The docs check, a step of the test command (scripts/test.mjs), after the build: every fenced block
// of every README.md and docs/**/*.md guide and every @example of the packages' doc comments.
// - ts/js blocks: type-checked in one TypeScript program against the workspace packages' dist and
//   the frameworks in this package's devDependencies (ES modules, top-level await; Next.js blocks in
//   a second program with Next.js's bundler resolution);
// - Deno blocks (importing @oneroute/deno or using Deno.*): one `deno check`;
// - ```ts run blocks: run against the emulator (lib/run.mjs);
// - sh blocks: not run, but the pnpm scripts, packages and files they name must exist;
// - json/jsonl blocks: must parse.
// A block marked ```ts fragment is not checked (keep these rare). Errors point at file:line of the
// Markdown (or source). Writes test-results.json (vitest's JSON shape: one test per block) for the
// test command's totals. Run: node scripts/docs-check/check.mjs
import { writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { allBlocks, FLAGS } from "./lib/blocks.mjs"
import { denoCheck } from "./lib/deno.mjs"
import { runBlocks } from "./lib/run.mjs"
import { checkShell, workspacePackages } from "./lib/shell.mjs"
import { isNextBlock, typecheck } from "./lib/typecheck.mjs"

const started = performance.now()
const packageDir = import.meta.dirname
const root = resolve(packageDir, "../..")

const blocks = allBlocks(root)
const code = blocks.filter((block) => block.kind === "code")
const problems = new Map(blocks.map((block) => [block.id, []]))
const add = (id, messages) => problems.get(id)?.push(...messages)
const general = []

for (const block of blocks) {
  if (block.unknownFlags.length > 0) {
    add(block.id, [
      `${block.where}: unknown info-string word(s) ${block.unknownFlags.join(", ")} (known: ${[...FLAGS].join(", ")})`
    ])
  }
}

// deno check runs as a child process while tsc checks the rest in this one.
const denoResult = denoCheck(
  packageDir,
  code.filter((block) => block.deno)
)
const tsBlocks = code.filter((block) => !block.deno)
const placeholders = join(packageDir, "placeholders.d.ts")
const nextBlocks = tsBlocks.filter(isNextBlock)
const tsResults = [
  typecheck(
    packageDir,
    tsBlocks.filter((block) => !isNextBlock(block)),
    placeholders,
    root
  )
]
if (nextBlocks.length > 0) tsResults.push(typecheck(packageDir, nextBlocks, placeholders, root, { bundler: true }))
const checked = [...tsResults, await denoResult]
const typechecked = performance.now()
for (const result of checked) {
  for (const [id, messages] of result.errors) add(id, messages)
  general.push(...result.general)
}

const packages = workspacePackages(root)
for (const block of blocks) {
  if (block.kind === "shell") add(block.id, checkShell(root, block, packages))
  const jsonTexts = block.kind === "json" ? [block.code] : block.kind === "jsonl" ? block.code.split("\n") : []
  for (const [index, text] of jsonTexts.entries()) {
    if (text.trim() === "") continue
    try {
      JSON.parse(text)
    } catch (error) {
      const line = block.kind === "jsonl" ? block.line + index : block.line
      add(block.id, [`${block.where.split(":")[0]}:${line}: not ${block.kind.toUpperCase()}: ${error.message}`])
    }
  }
}

const runnable = code.filter((block) => block.runnable)
const runsStarted = performance.now()
for (const [id, messages] of await runBlocks(packageDir, runnable)) add(id, messages)
const phases = [
  ["type checks (tsc and deno check side by side)", typechecked - started],
  ["runs", performance.now() - runsStarted]
].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)

// The report: one test per checked block.
const checkedBlocks = blocks.filter((block) => ["code", "shell", "json", "jsonl"].includes(block.kind))
const seconds = (performance.now() - started) / 1000
const results = checkedBlocks.map((block) => {
  const what =
    block.kind === "code" ? `${block.deno ? "deno check" : "tsc"}${block.runnable ? ", run" : ""}` : block.kind
  return {
    fullName: `docs: ${block.where} ${block.language} (${what})`,
    status: (problems.get(block.id) ?? []).length === 0 ? "passed" : "failed",
    duration: 0
  }
})
const failedBlocks = results.filter((result) => result.status === "failed").length
// Output no block claims (a crash of deno check, say) counts as one more failure.
const failed = failedBlocks + (general.length > 0 ? 1 : 0)
const report = {
  numPassedTests: results.length - failedBlocks,
  numFailedTests: failed,
  numRuntimeErrorTestSuites: 0,
  testResults: [{ name: join(packageDir, "check.mjs"), assertionResults: results }]
}
writeFileSync(join(packageDir, "test-results.json"), `${JSON.stringify(report, null, 2)}\n`)

for (const messages of problems.values()) for (const message of messages) console.error(message)
for (const message of general) console.error(message)
const fragments = blocks.filter((block) => block.kind === "fragment")
console.log(
  `docs check: ${code.length} code blocks type-checked (${tsBlocks.length} by tsc, ${code.length - tsBlocks.length} by deno check), ` +
    `${runnable.length} run against the emulator, ${checkedBlocks.length - code.length} shell/JSON blocks checked, ` +
    `${fragments.length} fragments (${fragments.map((block) => block.where).join(", ") || "none"}); ` +
    `${failed} failed; ${seconds.toFixed(1)} s (${phases.join(", ")})`
)
process.exit(failed === 0 ? 0 : 1)
