// The version step after `changeset version` (the root "version" script runs both): changesets moves
// packages/deno/package.json but not packages/deno/deno.json, which JSR and `deno publish` read.
// This sets deno.json's "version" to the package's and its `npm:@oneroute/core@^x` imports to core's
// new version, editing only those two strings. `node scripts/version.mjs --check` only compares.
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const root = join(import.meta.dirname, "..")
const read = (file) => readFileSync(join(root, file), "utf8")
const { version } = JSON.parse(read("packages/deno/package.json"))
const core = JSON.parse(read("packages/core/package.json")).version
const file = "packages/deno/deno.json"
const before = read(file)
const versionField = /("version"\s*:\s*")[^"]*(")/
// Every import of core: "npm:@oneroute/core@^x" and its subpaths ("npm:@oneroute/core@^x/adapter").
const coreImport = /("npm:@oneroute\/core@\^)[^"/]*/g
for (const [name, pattern] of [
  ["version", versionField],
  ["npm:@oneroute/core import", coreImport]
]) {
  if (!before.match(pattern)) {
    console.error(`scripts/version.mjs: no ${name} in ${file}`)
    process.exit(1)
  }
}
const after = before.replace(versionField, `$1${version}$2`).replace(coreImport, `$1${core}`)
if (process.argv.includes("--check")) {
  if (after !== before) {
    console.error(`${file} is out of step: want version ${version} and npm:@oneroute/core@^${core}`)
    process.exit(1)
  }
} else if (after !== before) {
  writeFileSync(join(root, file), after)
  console.log(`${file}: version ${version}, npm:@oneroute/core@^${core}`)
}
