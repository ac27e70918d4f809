/**
 * End to end: one session message = validate, POST the JSON body, read and decode the
 * documented 200 answer. Baseline: raw `undici.request` with a keep-alive Agent doing the POST
 * and a `JSON.parse`, the fastest a hand-written client can be. Same loopback server (child
 * process), same concurrency, side by side.
 *
 * Run: pnpm bench (from the root or packages/node). requests/s = hz × BATCH.
 */
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { Agent, request } from "undici"
import { afterAll, bench, describe } from "vitest"
import { createClient, layer, OneRoute } from "../src/index.js"
import { BATCH, CONCURRENCY, options, pool, startLoopbackServer } from "./loopbackServer.js"

const server = await startLoopbackServer()
const input = { from: "2348000000001", to: "2348012345678", message: "Hello :)" }
const endpoint = `${server.url}/api/public/conversation/text`

const rawAgent = new Agent({ connections: null, keepAliveTimeout: 10_000 })
const rawOnce = async () => {
  const response = await request(endpoint, {
    method: "POST",
    dispatcher: rawAgent,
    headers: { apiKey: "bench-key", "content-type": "application/json" },
    body: JSON.stringify(input)
  })
  const json = await response.body.json()
  // A bench whose sends fail measures nothing: fail loudly.
  if (response.statusCode !== 200) throw new Error(`raw undici send failed: HTTP ${response.statusCode}`)
  return json
}

const sdkOptions = { apiKey: "bench-key", baseUrl: server.url }
const promiseClient = createClient(sdkOptions)
const runtime = ManagedRuntime.make(layer(sdkOptions))
const effectBatch = Effect.forEach(Array.from({ length: BATCH }), () => OneRoute.sendSessionMessage(input), {
  concurrency: CONCURRENCY,
  discard: true
})

afterAll(async () => {
  await Promise.all([rawAgent.destroy(), promiseClient.close(), runtime.dispose()])
  server.stop()
})

describe(`send one session message, concurrency ${CONCURRENCY}, ${BATCH} per iteration`, () => {
  bench("baseline: raw undici.request POST + JSON.parse", () => pool(rawOnce), options)
  bench("@oneroute/node Effect API (OneRoute.sendSessionMessage)", () => runtime.runPromise(effectBatch), options)
  bench(
    "@oneroute/node Effect API, tracer disabled",
    () => runtime.runPromise(Effect.withTracerEnabled(effectBatch, false)),
    options
  )
  bench("@oneroute/node Promise API (createClient)", () => pool(() => promiseClient.sendSessionMessage(input)), options)
})
