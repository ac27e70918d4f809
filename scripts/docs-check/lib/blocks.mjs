// Finds the code blocks the docs check looks at: the fenced blocks of every README.md and
// docs/**/*.md guide, and the @example blocks of the packages' doc comments. Each block keeps where
// it came from (file, line of its first code line, indentation), so an error in the block points at
// the Markdown or the source line.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"

/** Info-string words after the language that the check understands. */
export const FLAGS = new Set([
  "run", // runnable: executed against the emulator, must exit 0
  "closed-window", // with run: no customer has written, so a session message is refused (the fallback runs)
  "fragment", // intentionally incomplete: not checked (keep these rare)
  "deno" // a Deno program even if it neither imports @oneroute/deno nor uses Deno.*
])

const CODE_LANGUAGES = new Map([
  ["ts", "ts"],
  ["typescript", "ts"],
  ["mts", "ts"],
  ["js", "js"],
  ["javascript", "js"],
  ["mjs", "js"]
])
const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "zsh"])

const listDir = (dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [])
const markdownUnder = (dir) =>
  listDir(dir).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "dist" || entry.name === "node_modules" ? [] : markdownUnder(path)
    return entry.name.endsWith(".md") ? [path] : []
  })

/** The Markdown files whose blocks are checked: every README.md of the workspace and docs/**\/*.md. */
export const markdownFiles = (root) =>
  [
    join(root, "README.md"),
    ...["packages", "apps"].flatMap((group) =>
      listDir(join(root, group))
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(root, group, entry.name, "README.md"))
    ),
    join(root, "bench/README.md"),
    ...markdownUnder(join(root, "docs"))
  ].filter((path) => existsSync(path))

/** The TypeScript sources whose doc comments may hold @example blocks. */
export const sourceFiles = (root) => {
  const walk = (dir) =>
    listDir(dir).flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return walk(path)
      return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : []
    })
  return listDir(join(root, "packages")).flatMap((entry) => walk(join(root, "packages", entry.name, "src")))
}

const stripLineComments = (code) => code.replace(/(^|\s)\/\/.*$/gm, "$1")
const isDeno = (code, flags) =>
  flags.has("deno") ||
  /["'](npm:)?@oneroute\/deno(\/[a-z]+)?["']/.test(code) ||
  /(^|[^.\w])Deno\.\w/.test(stripLineComments(code))

/**
 * Turns one fenced block into what the check does with it: `code` (type-checked, maybe run),
 * `shell` (its commands must exist), `json`/`jsonl` (must parse), or `other` (not checked).
 */
const classify = (block) => {
  const [language = "", ...words] = block.info.split(/\s+/).filter(Boolean)
  const flags = new Set(words)
  const unknownFlags = words.filter((word) => !FLAGS.has(word))
  const base = { ...block, language: language.toLowerCase(), flags, unknownFlags }
  const codeLanguage = CODE_LANGUAGES.get(base.language)
  if (codeLanguage !== undefined) {
    if (flags.has("fragment")) return { ...base, kind: "fragment" }
    return {
      ...base,
      kind: "code",
      js: codeLanguage === "js",
      deno: isDeno(block.code, flags),
      runnable: flags.has("run")
    }
  }
  if (SHELL_LANGUAGES.has(base.language)) return { ...base, kind: "shell" }
  if (base.language === "json" || base.language === "jsonl") return { ...base, kind: base.language }
  return { ...base, kind: "other" }
}

/** The fenced blocks of one Markdown text (fences may be indented, as in list items). */
export const markdownBlocks = (file, text) => {
  const lines = text.split("\n")
  const blocks = []
  for (let index = 0; index < lines.length; index++) {
    const open = /^( *)(`{3,}|~{3,})(.*)$/.exec(lines[index] ?? "")
    if (open === null) continue
    const [, indent = "", fence = "", info = ""] = open
    const close = new RegExp(`^ *${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`)
    const body = []
    let end = index + 1
    while (end < lines.length && !close.test(lines[end] ?? "")) body.push(lines[end++] ?? "")
    // A block's lines lose the fence's indentation (a list item's block is indented with it).
    const code = body.map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart())).join("\n")
    blocks.push(classify({ file, line: index + 2, column: indent.length + 1, info: info.trim(), code }))
    index = end
  }
  return blocks
}

/**
 * The @example blocks of one source file's doc comments: a fenced block inside the tag, or the
 * tag's whole text when it has no fence (TypeDoc's convention). Untagged blocks are `ts`.
 */
export const exampleBlocks = (file, text) => {
  const lines = text.split("\n")
  const blocks = []
  for (let index = 0; index < lines.length; index++) {
    if (!/^\s*\*\s*@example\b/.test(lines[index] ?? "")) continue
    // The tag's lines, with the comment's leading " * " removed, up to the next tag or the comment's end.
    const tagLines = []
    let end = index + 1
    while (end < lines.length && !/^\s*\*\//.test(lines[end] ?? "") && !/^\s*\*\s*@\w/.test(lines[end] ?? "")) {
      const match = /^(\s*\* ?)(.*)$/.exec(lines[end] ?? "")
      tagLines.push({ line: end + 1, prefix: match?.[1]?.length ?? 0, text: match?.[2] ?? lines[end] ?? "" })
      end++
    }
    const fenced = markdownBlocks(file, tagLines.map((entry) => entry.text).join("\n"))
    const located = fenced.map((block) => {
      const first = tagLines[block.line - 1]
      return { ...block, line: first?.line ?? index + 1, column: block.column + (first?.prefix ?? 0) }
    })
    const firstCode = tagLines.find((entry) => entry.text.trim() !== "")
    if (located.length === 0 && firstCode !== undefined) {
      const code = tagLines.slice(tagLines.indexOf(firstCode)).map((entry) => entry.text)
      located.push(
        classify({ file, line: firstCode.line, column: firstCode.prefix + 1, info: "ts", code: code.join("\n") })
      )
    }
    blocks.push(...located)
    index = end - 1
  }
  return blocks
}

/** Every block of the docs and of the doc comments, each with `where` (`file:line`, from the repository root). */
export const allBlocks = (root) => {
  const fromMarkdown = markdownFiles(root).flatMap((file) => markdownBlocks(file, readFileSync(file, "utf8")))
  const fromSources = sourceFiles(root).flatMap((file) => exampleBlocks(file, readFileSync(file, "utf8")))
  return [...fromMarkdown, ...fromSources].map((block, index) => ({
    ...block,
    id: `block${index + 1}`,
    where: `${relative(root, block.file)}:${block.line}`
  }))
}
