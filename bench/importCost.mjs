// The import cost of one entry in a fresh process: the time of `import(specifier)`, or, with
// --modules, the modules it loads (through a load hook, which slows loading, so run.mjs times the
// import in other processes without it). Prints one JSON line.
//
//   node bench/importCost.mjs <specifier>            → { ms }
//   node bench/importCost.mjs <specifier> --modules  → { modules, packages: { name: count }, loaded: { … } }
import { writeSync } from "node:fs"
import { createRequire, register } from "node:module"
import { fileURLToPath } from "node:url"
import { MessageChannel } from "node:worker_threads"

const [specifier, mode] = process.argv.slice(2)
// Written at once: process.exit would cut an asynchronous write to a pipe short.
const print = (value) => writeSync(1, `${JSON.stringify(value)}\n`)

if (mode === "--modules") {
  const { port1, port2 } = new MessageChannel()
  const urls = new Set()
  port1.on("message", (url) => urls.add(url))
  register("./importCostHooks.mjs", import.meta.url, { data: { port: port2 }, transferList: [port2] })
  // This script and its hooks are loaded before the import, so only what the import loads counts.
  const before = new Set(Object.keys(createRequire(import.meta.url).cache))
  await import(specifier)
  // The hooks run on their own thread: let their last messages arrive.
  await new Promise((resolve) => setTimeout(resolve, 100))
  port1.close()
  const files = new Set([...urls].filter((url) => url.startsWith("file:")).map((url) => fileURLToPath(url)))
  for (const file of Object.keys(createRequire(import.meta.url).cache)) if (!before.has(file)) files.add(file)
  files.delete(fileURLToPath(import.meta.url))
  // A file's package: the last node_modules/<name> in its path, else its workspace package.
  const packageOf = (file) =>
    file.match(/.*node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ??
    (file.match(/\/packages\/([^/]+)\//) ? `@oneroute/${file.match(/\/packages\/([^/]+)\//)[1]}` : file)
  const packages = {}
  for (const file of files) packages[packageOf(file)] = (packages[packageOf(file)] ?? 0) + 1
  const effectModule = (name) =>
    [...files].some((file) => new RegExp(`/effect/dist/(esm|cjs)/${name}\\.js$`).test(file))
  print({
    modules: files.size,
    packages,
    loaded: {
      "effect/Schema": effectModule("Schema"),
      "effect/Effect": effectModule("Effect"),
      "fast-check": (packages["fast-check"] ?? 0) > 0
    }
  })
} else {
  const start = performance.now()
  await import(specifier)
  print({ ms: performance.now() - start })
}
process.exit(0)
