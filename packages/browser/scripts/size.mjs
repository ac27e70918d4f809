// Min+gz size of a browser bundle that uses `createClient` from the built package (run `pnpm build` first).
// esbuild is not a dependency of this package; it is taken from pnpm's store (vite depends on it).
import { readdirSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"

const here = dirname(fileURLToPath(import.meta.url))
const packageDir = resolve(here, "..")
const store = resolve(packageDir, "../../node_modules/.pnpm")
const esbuildDir = readdirSync(store).find((name) => /^esbuild@\d/.test(name))
if (esbuildDir === undefined) throw new Error(`no esbuild@* in ${store}`)
const esbuild = createRequire(import.meta.url)(join(store, esbuildDir, "node_modules/esbuild"))

const entry = join(packageDir, "dist/index.js")
const result = await esbuild.build({
  stdin: {
    contents: `import { createClient } from ${JSON.stringify(entry)}
export const client = createClient({ relayUrl: "/oneroute" })`,
    resolveDir: packageDir,
    loader: "js"
  },
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
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
console.log(
  `${esbuildDir}: createClient bundle ${kb(code.length)} min, ${kb(gzipSync(code, { level: 9 }).length)} min+gz`
)

const byPackage = new Map()
for (const [file, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
  const name =
    file.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/)?.[1] ??
    file.replace(/^.*packages\/([^/]+)\/.*$/, "@oneroute/$1")
  byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput)
}
for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]))
  console.log(`  ${name.padEnd(24)} ${kb(bytes)} min`)
