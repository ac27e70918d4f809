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

import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import { Agent, request } from "undici"
import { afterAll, bench, describe } from "vitest"
import * as UndiciHttpClient from "../src/internal/undiciHttpClient.js"
import { BATCH, CONCURRENCY, options, pool, startLoopbackServer } from "./loopbackServer.js"

const server = await startLoopbackServer()
const url = `${server.url}/`

const agentOptions = { connections: null, keepAliveTimeout: 10_000, headersTimeout: 0, bodyTimeout: 0 }
const rawAgent = new Agent(agentOptions)
const clientAgent = new Agent(agentOptions)
const client = UndiciHttpClient.make(clientAgent)

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
  server.stop()
})

describe(`GET + JSON decode, concurrency ${CONCURRENCY}, ${BATCH} requests per iteration`, () => {
  bench("raw undici.request (keep-alive Agent)", () => pool(rawOnce), options)
  bench("HttpClient.execute + response.json", () => Effect.runPromise(clientBatch), options)
  // Same, without the per-request span @effect/platform creates by default.
  bench(
    "HttpClient.execute + response.json, tracer disabled",
    () => Effect.runPromise(Effect.withTracerEnabled(clientBatch, false)),
    options
  )
})
