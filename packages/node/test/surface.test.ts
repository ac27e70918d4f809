/**
 * The public surface: the main entry is the Promise API and loads no Effect runtime and no
 * `effect/Schema` for a valid send; `/effect` adds the Effect API. (That the adapter does not
 * re-export the adapter-building factories is checked for every adapter in test/repository.test.ts.)
 */
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { startEmulator } from "@oneroute/testkit"
import { describe, expect, it } from "vitest"
import * as NodeEffect from "../src/effect.js"
import * as Node from "../src/index.js"
import { BUSINESS } from "./support/relay.js"

describe("@oneroute/node's entries", () => {
  it("the main entry has the Promise API, errors and types; /effect adds the Effect API and schemas", () => {
    for (const name of ["createClient", "relayHandler", "toNodeListener", "isOneRouteError", "RejectedError"]) {
      expect(Object.keys(Node), name).toContain(name)
    }
    for (const name of ["layer", "layerConfig", "OneRoute", "IdempotencyStore", "SessionMessageRequest"]) {
      expect(Object.keys(Node), name).not.toContain(name)
      expect(Object.keys(NodeEffect), name).toContain(name)
    }
    for (const name of Object.keys(Node)) expect(Object.keys(NodeEffect), name).toContain(name)
  })
})

/**
 * What a fresh `node` loads for `script` (run as a module next to this package), by URL. Async:
 * the emulator it sends to runs in this process and must keep answering.
 */
const modulesLoadedBy = (script: string): Promise<Array<string>> => {
  const hook = `data:text/javascript,${encodeURIComponent(
    "export async function load(url, context, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, context) }"
  )}`
  const register = `data:text/javascript,${encodeURIComponent(
    `import { register } from "node:module"; register(${JSON.stringify(hook)})`
  )}`
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", register, "--input-type=module", "-e", script],
      { cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8", timeout: 120_000, maxBuffer: 64 << 20 },
      (error, _stdout, stderr) => {
        if (error !== null) return reject(new Error(`${error.message}\n${stderr.slice(-2000)}`))
        resolve(
          stderr
            .split("\n")
            .filter((line) => line.startsWith("LOADED "))
            .map((line) => line.slice(7))
        )
      }
    )
  })
}

const loads = (modules: ReadonlyArray<string>, part: string) => modules.some((url) => url.includes(part))

describe("a lean start (the built package, in a fresh process)", () => {
  it("a valid send loads neither effect/Schema (nor fast-check) nor Effect's runtime; invalid input loads the schemas", async () => {
    const emulator = await startEmulator({ channels: [{ number: BUSINESS }] })
    try {
      emulator.receiveInbound({ from: "2348012345678", to: BUSINESS })
      const client = `const client = createClient({ apiKey: ${JSON.stringify(emulator.apiKey)}, baseUrl: ${JSON.stringify(emulator.url)} })`
      const valid = `{ from: "${BUSINESS}", to: "2348012345678", message: "lean" }`
      const sent = await modulesLoadedBy(
        `import { createClient } from "@oneroute/node"; ${client}; await client.sendSessionMessage(${valid}); await client.close()`
      )
      expect(emulator.sent().map((message) => message.message)).toEqual(["lean"])
      expect(loads(sent, "/undici/")).toBe(true)
      for (const heavy of ["/effect/dist/esm/Schema.js", "/effect/dist/esm/Effect.js", "/fast-check/"]) {
        expect(loads(sent, heavy), heavy).toBe(false)
      }
      const invalid = await modulesLoadedBy(
        `import { createClient } from "@oneroute/node"; ${client}; await client.sendSessionMessage({ from: "1", to: "2", message: "" }).catch((error) => { if (error._tag !== "InvalidInputError") throw error }); await client.close()`
      )
      expect(loads(invalid, "/effect/dist/esm/Schema.js")).toBe(true)
      expect(emulator.sent()).toHaveLength(1)
    } finally {
      await emulator.close()
    }
  }, 240_000)
})
