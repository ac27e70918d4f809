// Release rehearsal against a real registry on loopback, as a new user on each team would meet the
// packages. In a throwaway clone of the committed tree: `pnpm run version` (changeset version, then
// scripts/version.mjs), build, pack and publish every package to a Verdaccio that this script starts
// on 127.0.0.1 and stops. Then, from that registry only:
// - npm projects whose app is already on effect 3.14.21 and on the newest 3.21: the SDK installs without
//   --legacy-peer-deps and shares the app's one copy of effect; the README's TypeScript examples
//   type-check (nodenext) and the runnable ones send through the `oneroute-emulator` bin; require() on
//   Nodes with and without require(esm);
// - an npm project on effect 4: the SDK installs (its own effect 3 nested) and its Promise API sends;
// - a pnpm 12 project with no configuration at all: installs, the same examples type-check with
//   moduleResolution bundler and run, and no install script of our tree asked to run;
// - a Deno project with the README's `deno add` line: check and a send;
// - `deno publish --dry-run` of @oneroute/deno outside the monorepo;
// - the install footprint of @oneroute/node in a fresh npm project (printed, not judged).
// Last line: "release rehearsal: passed" or "release rehearsal: failed (<step>)"; exit code 0 or 1.
// Run: node scripts/release-rehearsal.mjs [--keep]   (--keep leaves the work dir for a look)
import { execFileSync, spawn } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { request as httpRequest } from "node:http"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { createInterface } from "node:readline"
import { ensureNodes, matrix, withoutRequireEsm } from "./lib/node-binaries.mjs"

const root = resolve(import.meta.dirname, "..")
const keep = process.argv.includes("--keep")
const work = mkdtempSync(join(tmpdir(), "oneroute-rehearsal-"))
const repo = join(work, "repo")
/** The effect versions an app may already be on: the oldest the SDK supports and the newest 3.21. */
const effectLines = ["3.14.21", "~3.21.0"]
const packages = ["core", "node", "browser", "deno", "testkit", "redis"]
const deno = join(root, "packages/deno/node_modules/.bin/deno")
const started = Date.now()
const children = []

// Children see none of the npm_config_* / pnpm variables of a `pnpm run` that may have started us.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(npm_|pnpm_|PNPM_|NODE_OPTIONS$|INIT_CWD$)/i.test(name))
)

const sh = (command, args, { cwd = work, env = {}, quiet = false, echo = true, timeout = 5 * 60_000 } = {}) => {
  const shown = `${command === process.execPath ? "node" : command} ${args.join(" ")}`
  if (echo) console.log(`  $ ${shown}${cwd === work ? "" : `   (in ${cwd.replace(`${work}/`, "")})`}`)
  try {
    return execFileSync(command, args, {
      cwd,
      env: { ...cleanEnv, ...env },
      encoding: "utf8",
      timeout,
      stdio: quiet ? ["ignore", "pipe", "pipe"] : ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024
    })
  } catch (error) {
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n").slice(-30).join("\n")
    throw new Error(`${shown} failed (${error.status ?? error.signal ?? error.code})${output ? `\n${output}` : ""}`)
  }
}
const pnpm = (args, options) => sh("npx", ["-y", "pnpm@12.4.2", ...args], options)
const json = (file) => JSON.parse(readFileSync(file, "utf8"))
const write = (file, text) => {
  mkdirSync(resolve(file, ".."), { recursive: true })
  writeFileSync(file, text)
}
const check = (condition, message) => {
  if (!condition) throw new Error(message)
}

let failedStep
const step = async (name, body) => {
  const start = Date.now()
  console.log(`\n▶ ${name}`)
  try {
    await body()
    console.log(`✓ ${name} (${((Date.now() - start) / 1000).toFixed(1)} s)`)
  } catch (error) {
    failedStep = name
    throw error
  }
}

const freePort = () =>
  new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
    server.on("error", reject)
  })

/** Starts a long-running child and resolves with it once `ready(line)` accepts a line of its stdout. */
const startChild = (command, args, { cwd, env = {}, ready, what }) =>
  new Promise((resolveChild, reject) => {
    const child = spawn(command, args, { cwd, env: { ...cleanEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] })
    children.push(child)
    const lines = []
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${lines.join("\n")}`)), 60_000)
    const onLine = (line) => {
      lines.push(line)
      const value = ready(line)
      if (value !== undefined) {
        clearTimeout(timer)
        resolveChild({ child, value })
      }
    }
    createInterface({ input: child.stdout }).on("line", onLine)
    createInterface({ input: child.stderr }).on("line", (line) => lines.push(line))
    child.on("exit", (code, signal) => {
      clearTimeout(timer)
      if (!stopping) console.error(`${what} exited (${code ?? signal}):\n${lines.slice(-20).join("\n")}`)
      reject(new Error(`${what} exited (${code ?? signal}):\n${lines.join("\n")}`))
    })
  })

let stopping = false
const stopChildren = () => {
  stopping = true
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
}
process.on("exit", stopChildren)
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopChildren()
    process.exit(1)
  })
}

// The README's ```ts blocks (any info-string flags but `fragment`), with declarations for the
// placeholders they call.
const placeholders = { isSignedInAgent: "declare const isSignedInAgent: (cookie: string | null) => boolean" }
const readmeExamples = () => {
  const readme = readFileSync(join(repo, "README.md"), "utf8")
  const blocks = [...readme.matchAll(/^```ts([^\n]*)\n([\s\S]*?)^```$/gm)]
  return blocks
    .filter(([, flags]) => !flags.split(/\s+/).includes("fragment"))
    .map(([, , code], index) => {
      const declarations = Object.entries(placeholders)
        .filter(
          ([name]) => new RegExp(`\\b${name}\\b`).test(code) && !new RegExp(`(const|function) ${name}\\b`).test(code)
        )
        .map(([, declaration]) => declaration)
      // Runnable: a Node program that sends and ends (not the browser page, not a server that listens).
      const runnable =
        code.includes('"@oneroute/node"') && !code.includes("@oneroute/browser") && !/\.listen\(/.test(code)
      return { name: `readme-${index + 1}.ts`, code: `${[...declarations, code].join("\n")}\nexport {}\n`, runnable }
    })
}

let registry
let emulator
const npmrc = () => join(work, "npmrc")

/** Type-checks the README's examples in `dir` and runs the runnable ones against the emulator. */
const checkExamples = async (dir, compilerOptions) => {
  const examples = readmeExamples()
  check(examples.length >= 2, `expected the README's TypeScript examples, found ${examples.length}`)
  for (const example of examples) write(join(dir, "examples", example.name), example.code)
  const options = {
    target: "es2022",
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    types: ["node"],
    rootDir: "examples",
    outDir: "out",
    ...compilerOptions
  }
  write(join(dir, "tsconfig.json"), `${JSON.stringify({ compilerOptions: options, include: ["examples"] }, null, 2)}\n`)
  sh(join(dir, "node_modules/.bin/tsc"), ["-p", "."], { cwd: dir })
  for (const example of examples.filter((e) => e.runnable)) {
    const before = await emulatorSent()
    sh(process.execPath, [join("out", example.name.replace(/\.ts$/, ".js"))], {
      cwd: dir,
      env: { ONEROUTE_API_KEY: emulator.apiKey, ONEROUTE_BASE_URL: emulator.url },
      timeout: 60_000
    })
    check((await emulatorSent()) > before, `${example.name} ended without a message reaching the emulator`)
  }
}
/** A request on a connection of its own (a reused idle one may be closed under it) to the emulator's controls. */
const control = (name, body) =>
  new Promise((resolveBody, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body)
    const headers = data === undefined ? {} : { "content-type": "application/json" }
    const request = httpRequest(`${emulator.url}/__emulator/${name}`, {
      method: data ? "POST" : "GET",
      headers,
      agent: false
    })
    request.on("response", (response) => {
      let text = ""
      response.setEncoding("utf8").on("data", (chunk) => (text += chunk))
      response.on("end", () =>
        response.statusCode === 200 ? resolveBody(JSON.parse(text).data) : reject(new Error(`${name}: ${text}`))
      )
    })
    request.on("error", (error) => reject(new Error(`emulator control ${name}: ${error.message}`)))
    request.end(data)
  })
/** What reached the emulator: session and template messages, and campaigns (their messages go out later). */
const emulatorSent = async () =>
  (await control("sent")).length + (await control("sent-templates")).length + (await control("campaigns")).length

try {
  await step("clone the committed tree", async () => {
    sh("git", ["clone", "--quiet", "--no-hardlinks", root, repo])
    pnpm(["install", "--frozen-lockfile", "--reporter=silent"], { cwd: repo, env: { CI: "true" } })
  })

  let version
  await step("version: changeset version, then scripts/version.mjs", async () => {
    pnpm(["run", "version"], { cwd: repo })
    const versions = packages.map((name) => json(join(repo, "packages", name, "package.json")).version)
    version = versions[0]
    check(new Set(versions).size === 1, `the fixed group moved apart: ${versions.join(", ")}`)
    const denoJson = json(join(repo, "packages/deno/deno.json"))
    check(denoJson.version === version, `deno.json has version ${denoJson.version}, package.json ${version}`)
    check(
      denoJson.imports["@oneroute/core"] === `npm:@oneroute/core@^${version}`,
      `deno.json imports ${denoJson.imports["@oneroute/core"]}`
    )
    sh(process.execPath, ["scripts/version.mjs", "--check"], { cwd: repo })
    console.log(`  every package at ${version}; deno.json moved with them`)
  })

  await step("build and pack every package", async () => {
    pnpm(["exec", "turbo", "run", "build", "--filter=./packages/*", "--output-logs=errors-only"], { cwd: repo })
    for (const name of packages) {
      pnpm(["pack", "--pack-destination", join(work, "tarballs")], { cwd: join(repo, "packages", name), quiet: true })
    }
    for (const file of readdirSync(join(work, "tarballs"))) {
      const listing = sh("tar", ["tzf", join(work, "tarballs", file)], { quiet: true, echo: false })
      for (const entry of [
        "package/LICENSE",
        "package/esm-only.cjs",
        "package/dist/index.js",
        "package/dist/index.d.ts"
      ]) {
        check(listing.split("\n").includes(entry), `${file} lacks ${entry}`)
      }
      const manifest = sh("tar", ["xzf", join(work, "tarballs", file), "-O", "package/package.json"], {
        quiet: true,
        echo: false
      })
      check(!manifest.includes("workspace:"), `${file} still has a workspace: range`)
    }
  })

  await step("attw (ESM-only profile) and publint (strict) on every tarball", async () => {
    const cache = join(root, "node_modules/.cache/rehearsal/lint")
    if (!existsSync(join(cache, "node_modules/publint/package.json"))) {
      const manifest = { private: true, dependencies: { "@arethetypeswrong/cli": "0.18.5", publint: "0.3.25" } }
      write(join(cache, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
      sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: cache })
    }
    const tarballs = readdirSync(join(work, "tarballs"))
    for (const file of tarballs) {
      const tarball = join(work, "tarballs", file)
      // false-esm: the `require` condition is esm-only.cjs on purpose, the message for Nodes without require(esm).
      sh(join(cache, "node_modules/.bin/attw"), [tarball, "--profile", "esm-only", "--ignore-rules", "false-esm"], {
        quiet: true
      })
      sh(join(cache, "node_modules/.bin/publint"), ["run", tarball, "--strict"], { quiet: true })
    }
    console.log(`  ${tarballs.length} tarballs: no attw problem for node16 (ESM) and bundler, no publint warning`)
  })

  await step("start Verdaccio on loopback and publish", async () => {
    const cache = join(root, "node_modules/.cache/rehearsal/verdaccio")
    if (!existsSync(join(cache, "node_modules/verdaccio/package.json"))) {
      // 6.8.0 is the newest that installs on Node 20; its node-fetch must be pinned (TOOLCHAIN.md).
      const manifest = { private: true, dependencies: { verdaccio: "6.8.0" }, overrides: { "node-fetch": "2.7.0" } }
      write(join(cache, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
      sh("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: cache })
    }
    const port = await freePort()
    const config = join(work, "verdaccio", "config.yaml")
    write(
      config,
      [
        "storage: ./storage",
        "auth:",
        "  htpasswd:",
        "    file: ./htpasswd",
        "    max_users: 10",
        "uplinks:",
        "  npmjs:",
        "    url: https://registry.npmjs.org/",
        "    timeout: 60s",
        "packages:",
        '  "@oneroute/*":',
        "    access: $all",
        "    publish: $authenticated",
        '  "**":',
        "    access: $all",
        "    proxy: npmjs",
        "log: { type: stdout, format: pretty, level: warn }",
        ""
      ].join("\n")
    )
    registry = `http://127.0.0.1:${port}/`
    await startChild(
      process.execPath,
      [join(cache, "node_modules/verdaccio/bin/verdaccio"), "--config", config, "--listen", `127.0.0.1:${port}`],
      {
        cwd: join(work, "verdaccio"),
        ready: (line) => (line.includes("http address") ? true : undefined),
        what: "Verdaccio"
      }
    )
    const user = await fetch(`${registry}-/user/org.couchdb.user:rehearsal`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "rehearsal", password: "rehearsal-only" })
    })
    const { token } = await user.json()
    check(typeof token === "string", `Verdaccio gave no token (${user.status})`)
    write(npmrc(), `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`)
    for (const file of readdirSync(join(work, "tarballs"))) {
      sh("npm", ["publish", join(work, "tarballs", file), "--userconfig", npmrc(), "--loglevel=warn"], { quiet: true })
    }
    for (const name of packages) {
      const published = await (await fetch(`${registry}@oneroute%2f${name}`)).json()
      check(published["dist-tags"]?.latest === version, `@oneroute/${name} is not on the registry at ${version}`)
    }
    console.log(`  published ${packages.length} packages at ${version} to ${registry}`)
  })

  /** Every copy of `name` npm installed in `app`, by path and version. */
  const copiesOf = (app, name) =>
    Object.entries(json(join(app, "package-lock.json")).packages)
      .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
      .map(([path, entry]) => `${path}@${entry.version}`)

  const npmProject = (name, dependencies) => {
    const app = join(work, name)
    write(join(app, "package.json"), `${JSON.stringify({ name, private: true, type: "module" })}\n`)
    write(join(app, ".npmrc"), `registry=${registry}\n`)
    sh("npm", ["install", "--no-audit", "--no-fund", ...dependencies], { cwd: app, quiet: true })
    return app
  }

  const wanted = ["@oneroute/node", "@oneroute/browser", "@oneroute/testkit", "@oneroute/redis"]
  let npmApp
  for (const line of effectLines) {
    await step(`npm project already on effect ${line}: one copy of effect, the README's examples`, async () => {
      const app = npmProject(`npm-app-${line.replace(/[^0-9]/g, "")}`, [
        ...wanted,
        `effect@${line}`,
        "typescript@6.0.3",
        "@types/node@20.19.43"
      ])
      const copies = copiesOf(app, "effect")
      check(copies.length === 1, `expected one copy of effect, found ${copies.join(", ")}`)
      console.log(`  ${copies[0]}`)
      if (emulator === undefined) {
        const bin = await startChild(join(app, "node_modules/.bin/oneroute-emulator"), [], {
          cwd: app,
          ready: (text) => (text.startsWith("{") ? JSON.parse(text) : undefined),
          what: "oneroute-emulator"
        })
        emulator = bin.value
        // The customer writes first: that opens the 24-hour window the examples send in.
        await control("inbound", { from: "2348012345678", to: "2348000000001" })
      }
      await checkExamples(app, { module: "nodenext", moduleResolution: "nodenext" })
      npmApp = app
    })
  }

  await step("npm project on effect 4: the SDK installs beside it and its Promise API sends", async () => {
    const app = npmProject("npm-app-effect4", ["effect@4", "@oneroute/node"])
    const copies = copiesOf(app, "effect")
    check(
      copies.some((copy) => /^node_modules\/effect@4\./.test(copy)),
      `the app's effect 4 is gone: ${copies}`
    )
    check(
      copies.some((copy) => /node_modules\/effect@3\./.test(copy)),
      `the SDK has no effect 3: ${copies}`
    )
    console.log(`  ${copies.join(", ")}`)
    write(
      join(app, "send.mjs"),
      [
        'import { createClient } from "@oneroute/node"',
        "const client = createClient()",
        'const message = await client.sendSessionMessage({ from: "2348000000001", to: "2348012345678", message: "Hi from an effect 4 app" })',
        "console.log(message.id)",
        "await client.close()",
        ""
      ].join("\n")
    )
    const before = await emulatorSent()
    sh(process.execPath, ["send.mjs"], {
      cwd: app,
      env: { ONEROUTE_API_KEY: emulator.apiKey, ONEROUTE_BASE_URL: emulator.url },
      timeout: 60_000
    })
    check((await emulatorSent()) === before + 1, "the effect 4 app's send did not reach the emulator")
  })

  await step("require(): ESM through require(esm) on new Nodes, the ESM-only message on old ones", async () => {
    const nodes = ensureNodes()
    const probe = (node) =>
      sh(
        node,
        ["-e", 'try { require("@oneroute/node"); console.log("loaded") } catch (e) { console.log(e.message) }'],
        {
          cwd: npmApp,
          quiet: true
        }
      ).trim()
    for (const v of matrix)
      check(probe(nodes[v]) === "loaded", `require("@oneroute/node") on Node ${v}: ${probe(nodes[v])}`)
    const message = probe(nodes[withoutRequireEsm])
    check(
      message.startsWith("@oneroute/node is ESM-only: use import, or Node >= 20.19 which can require() it"),
      `require() on Node ${withoutRequireEsm}: ${message}`
    )
    console.log(`  Node ${matrix.join(", ")}: loaded; Node ${withoutRequireEsm}: "${message}"`)
  })

  await step(
    "pnpm 12 project with no configuration: installs, no build scripts asked, the README's examples",
    async () => {
      const app = join(work, "pnpm-app")
      write(join(app, "package.json"), `${JSON.stringify({ name: "pnpm-app", private: true, type: "module" })}\n`)
      write(join(app, ".npmrc"), `registry=${registry}\n`)
      // As the README says: effect@3 of its own for the Effect example.
      const output = pnpm(["add", ...wanted, "effect@3", "typescript@6.0.3", "@types/node@20.19.43"], {
        cwd: app,
        quiet: true
      })
      check(!/ignored build scripts|ERR_PNPM_IGNORED_BUILDS/i.test(output), `pnpm reported build scripts:\n${output}`)
      const effects = readdirSync(join(app, "node_modules/.pnpm")).filter((name) => name.startsWith("effect@"))
      check(effects.length === 1, `expected one copy of effect in pnpm's store, found ${effects.join(", ")}`)
      console.log(`  ${effects[0]}`)
      await checkExamples(app, { module: "preserve", moduleResolution: "bundler" })
    }
  )

  await step("Deno project: deno add npm:@oneroute/deno, check and send", async () => {
    const app = join(work, "deno-app")
    // Deno 2.9 holds back versions younger than 24 hours; the rehearsal's are minutes old.
    const env = {
      NPM_CONFIG_REGISTRY: registry,
      DENO_DIR: join(work, "deno-dir"),
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1"
    }
    write(join(app, "deno.json"), "{}\n")
    sh(deno, ["add", "--minimum-dependency-age=0", "npm:@oneroute/deno"], { cwd: app, env, quiet: true })
    write(
      join(app, "main.ts"),
      [
        'import { createClient } from "@oneroute/deno"',
        "const oneroute = createClient() // ONEROUTE_API_KEY, ONEROUTE_BASE_URL",
        'const message = await oneroute.sendSessionMessage({ from: "2348000000001", to: "2348012345678", message: "Hi from Deno" })',
        "console.log(message.id, message.createdAt instanceof Date)",
        "await oneroute.close()",
        ""
      ].join("\n")
    )
    sh(deno, ["check", "main.ts"], { cwd: app, env })
    const before = await emulatorSent()
    const permissions = ["--allow-net=127.0.0.1", "--allow-env=ONEROUTE_API_KEY,ONEROUTE_BASE_URL,ONEROUTE_TIMEOUT"]
    sh(deno, ["run", ...permissions, "main.ts"], {
      cwd: app,
      env: { ...env, ONEROUTE_API_KEY: emulator.apiKey, ONEROUTE_BASE_URL: emulator.url },
      timeout: 60_000
    })
    check((await emulatorSent()) === before + 1, "the Deno send did not reach the emulator")
  })

  await step("deno publish --dry-run of @oneroute/deno outside the monorepo", async () => {
    const dir = join(work, "deno-publish")
    for (const entry of ["src", "deno.json", "README.md", "LICENSE"]) {
      cpSync(join(repo, "packages/deno", entry), join(dir, entry), { recursive: true })
    }
    const env = {
      NPM_CONFIG_REGISTRY: registry,
      DENO_DIR: join(work, "deno-dir"),
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1"
    }
    // deno.json says nodeModulesDir "manual" (the monorepo's node_modules); here `deno install` fills it.
    sh(deno, ["install", "--minimum-dependency-age=0"], { cwd: dir, env, quiet: true })
    sh(deno, ["publish", "--dry-run", "--allow-dirty"], { cwd: dir, env })
  })

  await step("footprint of @oneroute/node in a fresh npm project", async () => {
    const app = join(work, "footprint")
    write(join(app, "package.json"), `${JSON.stringify({ name: "footprint", private: true, type: "module" })}\n`)
    write(join(app, ".npmrc"), `registry=${registry}\n`)
    sh("npm", ["install", "--no-audit", "--no-fund", "@oneroute/node"], { cwd: app, quiet: true })
    const lock = json(join(app, "package-lock.json"))
    const installed = Object.keys(lock.packages).filter(
      (path) => path.startsWith("node_modules/") && existsSync(join(app, path))
    )
    const size = (path) => Number(sh("du", ["-sk", path], { cwd: app, quiet: true, echo: false }).split("\t")[0])
    const rows = installed.map((path) => ({ name: path.replace(/^node_modules\//, ""), kb: size(path) }))
    rows.sort((a, b) => b.kb - a.kb)
    const total = size("node_modules")
    console.log(`  ${installed.length} packages, ${(total / 1024).toFixed(1)} MB:`)
    for (const row of rows) console.log(`    ${(row.kb / 1024).toFixed(1).padStart(5)} MB  ${row.name}`)
  })
  console.log(`\nRehearsal took ${((Date.now() - started) / 1000).toFixed(0)} s`)
  console.log("release rehearsal: passed")
} catch (error) {
  console.error(`\n${error.message}`)
  console.log(`release rehearsal: failed (${failedStep ?? "setup"})`)
  process.exitCode = 1
} finally {
  stopChildren()
  if (keep) console.log(`work dir kept: ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
