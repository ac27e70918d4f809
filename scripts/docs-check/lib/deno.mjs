// Deno's blocks: written out under .blocks/deno/ and checked by one `deno check` (the npm package
// `deno`, over this package's node_modules: deno.json says nodeModulesDir "manual", so
// `npm:@oneroute/deno` and bare `@oneroute/deno` resolve to the workspace's build, with no network;
// "sloppy-imports" lets the builds' .d.ts files import their siblings as `./x.js`, as Deno's own npm
// resolution does for an app that installed the package).
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { runProcess } from "./process.mjs"

/** The environment every deno process of the check gets: its cache inside node_modules, no update check. */
export const denoEnv = (packageDir) => ({
  ...process.env,
  DENO_DIR: join(packageDir, "node_modules/.cache/deno"),
  DENO_NO_UPDATE_CHECK: "1",
  NO_COLOR: "1",
  RUST_BACKTRACE: "0"
})

export const denoBin = (packageDir) => join(packageDir, "node_modules/.bin/deno")

/** Writes each block as .blocks/deno/<id>.ts and returns the paths by block id. */
export const writeDenoBlocks = (packageDir, blocks) => {
  const dir = join(packageDir, ".blocks/deno")
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return new Map(
    blocks.map((block) => {
      const path = join(dir, `${block.id}.ts`)
      writeFileSync(path, block.code)
      return [block.id, path]
    })
  )
}

/**
 * `deno check` over all Deno blocks at once. Returns the messages of each block (its file:line
 * rewritten to the Markdown's) and the output no block claims.
 */
export const denoCheck = async (packageDir, blocks) => {
  const errors = new Map(blocks.map((block) => [block.id, []]))
  if (blocks.length === 0) return { errors, general: [] }
  const paths = writeDenoBlocks(packageDir, blocks)
  const result = await runProcess(denoBin(packageDir), ["check", "--quiet", ...paths.values()], {
    cwd: packageDir,
    env: denoEnv(packageDir),
    timeoutMs: 120_000
  })
  if (result.code === 0) return { errors, general: [] }
  // Deno prints each diagnostic, then "    at file:///…/<id>.ts:LINE:COL".
  const general = []
  let pending = []
  for (const line of `${result.stdout}${result.stderr}`.split("\n")) {
    const at = /at file:\/\/\S*\/(block\d+)\.ts:(\d+):(\d+)/.exec(line)
    const block = at === null ? undefined : blocks.find((candidate) => candidate.id === at[1])
    if (at === null) {
      if (line.trim() !== "") pending.push(line)
      continue
    }
    if (block === undefined) {
      // A diagnostic in a file that is no block (a package's .d.ts): the check's, not a block's.
      general.push(...pending, line.trim())
      pending = []
      continue
    }
    const [file] = block.where.split(":")
    const where = `${file}:${block.line + Number(at[2]) - 1}:${block.column + Number(at[3]) - 1}`
    errors.get(block.id)?.push(`${where}: ${pending.join("\n").replace(/^error: /, "")}`)
    pending = []
  }
  general.push(...pending.filter((line) => !/^(Check|error: Type checking failed|Found \d+ errors?)/.test(line)))
  if (result.timedOut) general.push("deno check did not finish within 120 s")
  if ([...errors.values()].every((list) => list.length === 0) && general.length === 0) {
    general.push(`deno check exited ${result.code}:\n${result.stderr}`)
  }
  return { errors, general }
}
