// Browser bundle of a relay page: what a page that sends one message through `createClient`
// ships, built from the published entry (`@oneroute/browser`'s dist) as an app's bundler sees it.
// The page also sends, and the contributors split `effect` by module. Run alone: node bench/bundle.mjs
import { dirname } from "node:path"
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
  const result = await esbuild.build({
    stdin: { contents: page, resolveDir: dirname(fileURLToPath(import.meta.url)), loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "warning"
  })
  const code = result.outputFiles[0].contents
  const bytes = new Map()
  const packages = new Map()
  for (const [file, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const name = contributor(file)
    const pkg = name.startsWith("effect/") ? "effect" : name
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput)
    packages.set(pkg, (packages.get(pkg) ?? 0) + bytesInOutput)
  }
  const sorted = (map) => [...map].sort((a, b) => b[1] - a[1])
  return {
    esbuild: esbuild.version,
    minBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    top: sorted(bytes).slice(0, 10),
    packages: sorted(packages)
  }
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bundle = await measureBundle()
  console.log(`esbuild ${bundle.esbuild}: relay page ${kb(bundle.minBytes)} min, ${kb(bundle.gzipBytes)} min+gz`)
  for (const [name, bytes] of bundle.top) console.log(`  ${name.padEnd(32)} ${kb(bytes)} min`)
  console.log(`by package: ${bundle.packages.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(", ")}`)
}
