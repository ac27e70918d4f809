/**
 * Micro-benchmark: raw `undici.request` vs the `HttpClient` from
 * `src/internal/undiciHttpClient.ts`, both over a keep-alive `Agent`, against a
 * loopback `node:http` server running in a child process (so the server does
 * not share the client's event loop).
 *
 * Each benchmark iteration sends BATCH requests with CONCURRENCY in flight at
 * any time and decodes the small JSON body, so requests/s = hz * BATCH.
 *
 * Run from packages/node:  npx vitest bench --run bench/
 */

import { spawn } from "node:child_process"
import { once } from "node:events"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import { Agent, request } from "undici"
import { afterAll, bench, describe } from "vitest"
import * as UndiciHttpClient from "../src/internal/undiciHttpClient.js"

const CONCURRENCY = 64
const BATCH = 640
const TIME_MS = 3000

// Loopback server in a child process; it exits when our stdin pipe closes.
const server = spawn(
  process.execPath,
  [
    "-e",
    `
  const body = JSON.stringify({ ok: true, id: 42, name: "bench" })
  const server = require("node:http").createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    res.end(body)
  })
  server.keepAliveTimeout = 30000
  server.listen(0, "127.0.0.1", () => console.log(server.address().port))
  process.stdin.on("end", () => process.exit(0)).resume()
  `
  ],
  { stdio: ["pipe", "pipe", "inherit"] }
)
const [portLine] = (await once(server.stdout, "data")) as [Buffer]
const url = `http://127.0.0.1:${portLine.toString().trim()}/`

const agentOptions = { connections: null, keepAliveTimeout: 10_000, headersTimeout: 0, bodyTimeout: 0 }
const rawAgent = new Agent(agentOptions)
const clientAgent = new Agent(agentOptions)
const client = UndiciHttpClient.make(clientAgent)

/** Runs `task` BATCH times with CONCURRENCY workers. */
const pool = async (task: () => Promise<unknown>) => {
  let remaining = BATCH
  const worker = async () => {
    while (remaining-- > 0) await task()
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
}

const rawOnce = async () => {
  const response = await request(url, { dispatcher: rawAgent })
  return response.body.json()
}

const clientBatch = Effect.forEach(
  Array.from({ length: BATCH }),
  () => Effect.flatMap(client.execute(HttpClientRequest.get(url)), (response) => response.json),
  { concurrency: CONCURRENCY, discard: true }
)

afterAll(async () => {
  await Promise.all([rawAgent.destroy(), clientAgent.destroy()])
  server.stdin.end()
})

describe(`GET + JSON decode, concurrency ${CONCURRENCY}, ${BATCH} requests per iteration`, () => {
  bench("raw undici.request (keep-alive Agent)", () => pool(rawOnce), { time: TIME_MS, warmupTime: 500 })
  bench("HttpClient.execute + response.json", () => Effect.runPromise(clientBatch), {
    time: TIME_MS,
    warmupTime: 500
  })
  // Same, without the per-request span @effect/platform creates by default.
  bench(
    "HttpClient.execute + response.json, tracer disabled",
    () => Effect.runPromise(Effect.withTracerEnabled(clientBatch, false)),
    { time: TIME_MS, warmupTime: 500 }
  )
})
