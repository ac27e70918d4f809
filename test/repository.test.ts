import { existsSync, readdirSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { basename, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

/**
 * Repository-wide rules, from the built output of every published package (what consumers
 * actually get) and from the sources (the dependency rule of DESIGN.md §2).
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const packages = readdirSync(join(root, "packages")).map((name) => {
  const dir = join(root, "packages", name)
  return { dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }
})

type Conditions = Readonly<Record<string, string>>

describe.each(packages)("$manifest.name", ({ dir, manifest }) => {
  const entries = Object.entries(manifest.exports as Record<string, Conditions>)

  it.each(entries)("exports %s: every condition points at a built file of the right kind", (_, conditions) => {
    expect(Object.keys(conditions)).toEqual(["types", "module-sync", "require", "default"])
    // Nodes that can require() ESM match "module-sync" for require() too; older ones get the stub.
    expect(conditions["module-sync"]).toBe(conditions.default)
    for (const [condition, target] of Object.entries(conditions)) {
      const kind = { types: /^\.\/dist\/.+\.d\.ts$/, require: /^\.\/esm-only\.cjs$/ }[condition] ?? /^\.\/dist\/.+\.js$/
      expect(target, condition).toMatch(kind)
      expect(existsSync(join(dir, target)), `${condition} → ${target}`).toBe(true)
    }
  })

  it("is published with its LICENSE, engines that can require() it, repository and description", () => {
    expect(manifest.license).toBe("MIT")
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toMatch(/^MIT License/)
    expect(manifest.files).toEqual(expect.arrayContaining(["dist", "esm-only.cjs", "LICENSE"]))
    expect(manifest.engines).toEqual({ node: "^20.19.0 || >=22.12.0" })
    expect(manifest.repository).toMatchObject({ type: "git", directory: `packages/${basename(dir)}` })
    expect(manifest.homepage).toMatch(/^https:\/\//)
    expect(manifest.bugs.url).toMatch(/^https:\/\//)
    expect(manifest.description.length).toBeGreaterThan(20)
  })

  it("a CommonJS require() on a Node without require(esm) gets a clear message", () => {
    // This Node may well load the ESM build through "module-sync"; the stub itself is what older Nodes get.
    const stub = createRequire(import.meta.url)
    expect(() => stub(join(dir, "esm-only.cjs"))).toThrow(
      `${manifest.name} is ESM-only: use import, or Node >= 20.19 which can require() it`
    )
  })

  it("is ESM, side-effect free, depends on core (or is core) and on effect as a dependency, never a peer", () => {
    expect(manifest.type).toBe("module")
    expect(manifest.sideEffects).toBe(false)
    const dependencies = Object.keys(manifest.dependencies ?? {})
    if (manifest.name !== "@oneroute/core") expect(dependencies).toContain("@oneroute/core")
    // A peer on effect ^3 makes npm refuse an app on effect 4; a dependency shares an app's 3.x.
    expect(Object.keys(manifest.peerDependencies ?? {}), "peers").not.toContain("effect")
    if (manifest.name === "@oneroute/core") {
      expect(dependencies).toEqual(["effect"])
      expect(manifest.peerDependencies).toEqual({ "@effect/platform": ">=0.81.0 <0.98.0" })
      expect(manifest.peerDependenciesMeta).toEqual({ "@effect/platform": { optional: true } })
    }
  })
})

describe("built entry points load and expose the public contract", () => {
  const load = (name: string, file: string) => import(join(root, "packages", name, "dist", file))

  it.each(["core", "node", "browser", "deno"])(
    "@oneroute/%s: the main entry has the Promise API and errors, /effect adds OneRoute and the schemas",
    async (name) => {
      const main = await load(name, "index.js")
      const effect = await load(name, "effect.js")
      for (const member of ["isOneRouteError", "RejectedError", "InvalidInputError"]) {
        expect(main[member], member).toBeDefined()
      }
      for (const member of ["OneRoute", "SessionMessage", "WhatsAppNumber", "IdempotencyStore", "layer"]) {
        expect(main[member], member).toBeUndefined()
      }
      for (const member of ["OneRoute", "isOneRouteError", "SessionMessage", "WhatsAppNumber", "IdempotencyStore"]) {
        expect(effect[member], member).toBeDefined()
      }
      if (name !== "core") expect(typeof main.createClient).toBe("function")
      if (name !== "core") expect(typeof effect.layer).toBe("function")
    }
  )

  it.each(["node", "browser", "deno"])(
    "@oneroute/%s does not re-export the adapter-building factories; @oneroute/core/adapter has them",
    async (name) => {
      const factories = Object.keys(await load("core", "Adapter.js"))
      expect(factories).toEqual(expect.arrayContaining(["makeAdapter", "fetchTransport"]))
      for (const entry of ["index.js", "effect.js"]) {
        const module = await load(name, entry)
        for (const factory of factories) expect(Object.keys(module), `${entry}: ${factory}`).not.toContain(factory)
      }
    }
  )

  it("@oneroute/testkit exports the emulator, layerTest and the conformance suite", async () => {
    const module = await load("testkit", "index.js")
    expect(typeof module.startEmulator).toBe("function")
    expect(module.layerTest).toBeDefined()
    expect((await load("testkit", "conformance.js")).conformanceCases.length).toBeGreaterThan(10)
    expect(typeof (await load("testkit", "handler.js")).createEmulatorHandler).toBe("function")
  })
})

describe("dependency rule", () => {
  const sources = (dir: string): ReadonlyArray<string> =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
    )

  it("core imports nothing runtime-specific", () => {
    for (const file of sources(join(root, "packages/core/src"))) {
      const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "")
      expect(text, file).not.toMatch(/from "node:|\bDeno\.|\bprocess\.|\bwindow\.|\bdocument\./)
      for (const [, specifier = ""] of text.matchAll(/from "([^"]+)"/g)) {
        expect(specifier, file).toMatch(/^(\.|effect\/|@effect\/platform\/)/)
        // Only core/platform may need the optional @effect/platform.
        if (specifier.startsWith("@effect/platform/")) {
          expect(file, specifier).toMatch(/(platform\.ts|httpClientTransport\.ts)$/)
        }
      }
    }
  })

  it("library code uses deep imports, never the effect barrel", () => {
    for (const name of readdirSync(join(root, "packages"))) {
      for (const file of sources(join(root, "packages", name, "src"))) {
        expect(readFileSync(file, "utf8"), file).not.toMatch(/from "(effect|@effect\/platform)"/)
      }
    }
  })
})
