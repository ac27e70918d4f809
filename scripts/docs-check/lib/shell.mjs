// Shell blocks are not run, but what they name must exist: a `pnpm <script>` is a script of the
// package.json where it runs (after a `cd`, or the repository root or the README's own package),
// an `@oneroute/<name>` they install is a workspace package, and `node <path>` names a file.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"

/** pnpm's own commands: everything else after `pnpm` is a script name. */
const PNPM_COMMANDS = new Set(
  "install i add remove rm uninstall update up exec dlx create init pack publish link unlink import store list ls why outdated audit config env setup rebuild prune fetch deploy patch licenses".split(
    " "
  )
)
/** pnpm flags that take a value, so the word after them is not the command. */
const PNPM_VALUE_FLAGS = new Set(["--filter", "-F", "--dir", "-C", "--workspace-dir", "--reporter"])

const scriptsOf = (dir) => {
  const manifest = join(dir, "package.json")
  return existsSync(manifest) ? Object.keys(JSON.parse(readFileSync(manifest, "utf8")).scripts ?? {}) : []
}

/** The workspace's package names (packages/*, apps/*, bench). */
export const workspacePackages = (root) =>
  new Set(
    ["packages", "apps"]
      .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
      .concat(join(root, "bench"))
      .filter((dir) => existsSync(join(dir, "package.json")))
      .map((dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name)
  )

/**
 * The block's commands, each with the index of the line it starts on: continuation lines joined,
 * comments dropped, split at `&&`, `||`, `;` and `|`.
 */
const commandsOf = (code) => {
  const commands = []
  const lines = code.split("\n")
  for (let index = 0; index < lines.length; index++) {
    const start = index
    let text = lines[index] ?? ""
    while (text.endsWith("\\") && index + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++index]}`
    for (const part of text.replace(/(^|\s)#.*$/, "").split(/&&|\|\||;|\|/)) {
      const words = part.trim().split(/\s+/).filter(Boolean)
      if (words.length > 0) commands.push({ words, line: start })
    }
  }
  return commands
}

/** The problems of one shell block, each `file:line: message`. */
export const checkShell = (root, block, packages) => {
  const readmeDir = dirname(block.file)
  const problems = []
  let cwd
  for (const { words, line } of commandsOf(block.code)) {
    const at = `${block.where.split(":")[0]}:${block.line + line}`
    if (words[0] === "cd" && words[1] !== undefined) {
      cwd = join(root, words[1])
      continue
    }
    const dirs = cwd === undefined ? [root, readmeDir] : [cwd]
    const pnpmAt = words.findIndex((word) => word === "pnpm" || word.startsWith("pnpm@"))
    if (pnpmAt >= 0) {
      let index = pnpmAt + 1
      while (words[index]?.startsWith("-")) index += PNPM_VALUE_FLAGS.has(words[index] ?? "") ? 2 : 1
      const command = words[index] === "run" ? words[index + 1] : words[index]
      if (command !== undefined && (words[index] === "run" || !PNPM_COMMANDS.has(command))) {
        if (!dirs.some((dir) => scriptsOf(dir).includes(command))) {
          const places = dirs.map((dir) => `${relative(root, dir) || "."}/package.json`).join(" or ")
          problems.push(`${at}: "pnpm ${command}" is not a script of ${places}`)
        }
      }
    }
    for (const word of words) {
      const name = /^(?:npm:)?(@oneroute\/[a-z0-9-]+)/.exec(word)?.[1]
      if (name !== undefined && !packages.has(name)) problems.push(`${at}: ${name} is not a package of this workspace`)
    }
    if (words[0] === "node") {
      const script = words.slice(1).find((word) => !word.startsWith("-"))
      if (script?.includes("/") && !dirs.some((dir) => existsSync(join(dir, script)))) {
        problems.push(`${at}: node ${script}: no such file`)
      }
    }
  }
  return problems
}
