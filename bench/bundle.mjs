// Browser bundle of a relay page: what a page that sends one message through `createClient`
// ships, built from the published entry (`@oneroute/browser`'s dist) as an app's bundler sees it:
// with code splitting, as Vite, Rollup and webpack do by default, so what the SDK loads only on
// first need (the schemas, for invalid input) is a chunk of its own. The figure is what the page
// loads up front: its entry chunk and every chunk that one imports statically; the lazy chunks
// are reported beside it. Run alone: node bench/bundle.mjs
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import * as esbuild from "esbuild"

const page = `import { createClient } from "@oneroute/browser"
const client = createClient({ relayUrl: "/oneroute" })
client.sendSessionMessage({ from: "2348000000001", to: "2348012345678", message: "Hello :)" }).then(console.log)
`

// effect/dist/esm/internal/fiberRuntime.js → effect/internal/fiberRuntime; effect/dist/esm/Schema.js →
// effect/Schema; any other package (or a workspace package, by its folder) → its name.
const contributor = (file) => {
  const effect = file.match(/node_modules\/effect\/dist\/esm\/((?:internal\/)?[^/.]+)/)
  if (effect) return `effect/${effect[1]}`
  const inPackage = file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/)
  if (inPackage) return inPackage[1]
  const workspace = file.match(/packages\/([^/]+)\//)
  return workspace ? `@oneroute/${workspace[1]}` : file
}

export const measureBundle = async () => {
  const out = mkdtempSync(join(tmpdir(), "oneroute-bundle-"))
  // The page sits here so that `@oneroute/browser` resolves from this workspace package.
  const entry = join(dirname(fileURLToPath(import.meta.url)), ".relay-page.tmp.mjs")
  writeFileSync(entry, page)
  try {
    const result = await esbuild.build({
      entryPoints: [{ in: entry, out: "page" }],
      // Input paths relative to the repository, so `contributor` can name workspace packages.
      absWorkingDir: resolve(dirname(fileURLToPath(import.meta.url)), ".."),
      outdir: out,
      bundle: true,
      splitting: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      metafile: true,
      logLevel: "warning"
    })
    const outputs = result.metafile.outputs
    // Metafile keys are relative to the working directory; output files carry absolute paths.
    const code = new Map(result.outputFiles.map((file) => [file.path, file.contents]))
    const contents = (key) => code.get(resolve(key))
    // Lazily imported modules are entry points too: the page is the one whose entry is the page.
    const pageKey = Object.keys(outputs).find((key) => outputs[key].entryPoint?.endsWith(".relay-page.tmp.mjs"))
    // The entry and what it imports statically, transitively: what loads before the first send.
    const upFront = new Set()
    const visit = (key) => {
      if (upFront.has(key)) return
      upFront.add(key)
      for (const imported of outputs[key].imports) if (imported.kind === "import-statement") visit(imported.path)
    }
    visit(pageKey)
    const gzip = (keys) => keys.reduce((total, key) => total + gzipSync(contents(key), { level: 9 }).length, 0)
    const min = (keys) => keys.reduce((total, key) => total + contents(key).length, 0)
    const lazy = Object.keys(outputs).filter((key) => !upFront.has(key) && key.endsWith(".js"))
    const bytes = new Map()
    const packages = new Map()
    for (const key of upFront) {
      for (const [file, { bytesInOutput }] of Object.entries(outputs[key].inputs)) {
        const name = contributor(file)
        const pkg = name.startsWith("effect/") ? "effect" : name
        bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput)
        packages.set(pkg, (packages.get(pkg) ?? 0) + bytesInOutput)
      }
    }
    const sorted = (map) => [...map].sort((a, b) => b[1] - a[1])
    return {
      esbuild: esbuild.version,
      minBytes: min([...upFront]),
      gzipBytes: gzip([...upFront]),
      lazyGzipBytes: gzip(lazy),
      top: sorted(bytes).slice(0, 10),
      packages: sorted(packages)
    }
  } finally {
    rmSync(entry, { force: true })
    rmSync(out, { recursive: true, force: true })
  }
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bundle = await measureBundle()
  console.log(
    `esbuild ${bundle.esbuild}: relay page ${kb(bundle.minBytes)} min, ${kb(bundle.gzipBytes)} min+gz up front; ${kb(bundle.lazyGzipBytes)} min+gz loaded on first need (the schemas, for invalid input)`
  )
  for (const [name, bytes] of bundle.top) console.log(`  ${name.padEnd(32)} ${kb(bytes)} min`)
  console.log(`by package: ${bundle.packages.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(", ")}`)
}
