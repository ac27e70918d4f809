// Min+gz size of a browser bundle that uses `createClient` from the built package (run `pnpm build` first).
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import * as esbuild from "esbuild"

const here = dirname(fileURLToPath(import.meta.url))
const packageDir = resolve(here, "..")

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
  `esbuild@${esbuild.version}: createClient bundle ${kb(code.length)} min, ${kb(gzipSync(code, { level: 9 }).length)} min+gz`
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
