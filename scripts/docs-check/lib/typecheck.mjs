// Type-checks every TypeScript and JavaScript block (but Deno's) in one TypeScript program: each
// block is an ES module of its own (top-level await allowed) in this package's folder, so its imports
// resolve to the workspace packages' built dist and to the frameworks in this package's
// devDependencies. The blocks are served from memory; diagnostics point at the Markdown.
import { createRequire } from "node:module"
import { join, relative } from "node:path"

const require = createRequire(import.meta.url)
const ts = require("typescript")

/** Strict, as a careful app compiles: the examples must compile for it. */
const compilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  // Node's globals (placeholders.d.ts adds Vite's import.meta.env for the browser pages' examples).
  types: ["node"],
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  allowJs: true,
  checkJs: true,
  skipLibCheck: true,
  noEmit: true
}

/** The name a block gets in the program: in the check package's folder, for module resolution. */
export const blockFileName = (packageDir, block) =>
  join(packageDir, "blocks", `${block.id}.${block.js ? "mjs" : "mts"}`)

/**
 * What a Next.js app compiles with (`moduleResolution: "bundler"`): `next` has no `exports` map,
 * so Node's ESM resolution would not find `next/server` without an extension.
 */
const bundlerOptions = {
  ...compilerOptions,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler
}

/** Whether a block is a Next.js app's code (compiled as Next.js compiles it). */
export const isNextBlock = (block) => /from\s+["']next(\/[\w/-]+)?["']/.test(block.code)

/**
 * Checks `blocks` together, with `declarations` (a .d.ts of the placeholders the examples call);
 * `bundler` compiles them as a bundler-resolved app (Next.js) does.
 * Returns one list of messages per block id; a message is `file:line:column: TSxxxx message`.
 */
export const typecheck = (packageDir, blocks, declarations, root, { bundler = false } = {}) => {
  const options = bundler ? bundlerOptions : compilerOptions
  const byFile = new Map(blocks.map((block) => [blockFileName(packageDir, block), block]))
  const host = ts.createCompilerHost(options, true)
  const { getSourceFile, fileExists, readFile } = host
  host.getCurrentDirectory = () => packageDir
  host.fileExists = (name) => byFile.has(name) || fileExists.call(host, name)
  host.readFile = (name) => byFile.get(name)?.code ?? readFile.call(host, name)
  host.getSourceFile = (name, languageVersion, ...rest) => {
    const block = byFile.get(name)
    return block === undefined
      ? getSourceFile.call(host, name, languageVersion, ...rest)
      : ts.createSourceFile(name, block.code, languageVersion, true)
  }
  const program = ts.createProgram({
    rootNames: [...byFile.keys(), declarations],
    options: { ...options, typeRoots: [join(packageDir, "node_modules/@types")] },
    host
  })
  const errors = new Map(blocks.map((block) => [block.id, []]))
  const general = []
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`
    const block = diagnostic.file === undefined ? undefined : byFile.get(diagnostic.file.fileName)
    if (block === undefined || diagnostic.start === undefined) {
      const where = diagnostic.file === undefined ? "" : `${relative(root, diagnostic.file.fileName)}: `
      general.push(`${where}${message}`)
      continue
    }
    const position = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
    const [file] = block.where.split(":")
    errors.get(block.id)?.push(`${file}:${block.line + position.line}:${block.column + position.character}: ${message}`)
  }
  return { errors, general }
}

/** The block as a runnable ES module (types erased, nothing else changed). */
export const transpile = (block) =>
  ts.transpileModule(block.code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false }
  }).outputText
