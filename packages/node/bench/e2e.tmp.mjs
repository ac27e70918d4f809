import { spawn } from "node:child_process"
import { once } from "node:events"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { Agent, request } from "undici"
import { layer, OneRoute } from "/work/main/packages/node/dist/index.js"

const child = spawn(process.execPath, ["/work/main/packages/node/bench/loopbackServer.mjs"], {
  stdio: ["pipe", "pipe", "inherit"]
})
const [line] = await once(child.stdout, "data")
const url = `http://127.0.0.1:${line.toString().trim()}`
const runtime = ManagedRuntime.make(layer({ apiKey: "k", baseUrl: url }))
const input = { from: "2348000000001", to: "2348012345678", message: "Hello :)" }
const batch = Effect.forEach(Array.from({ length: 640 }), () => OneRoute.sendSessionMessage(input), {
  concurrency: 64,
  discard: true
})
const agent = new Agent({ connections: null, keepAliveTimeout: 10_000 })
const raw = async () => {
  let n = 640
  const w = async () => {
    while (n-- > 0) {
      const r = await request(url + "/api/public/conversation/text", {
        method: "POST",
        dispatcher: agent,
        headers: { apiKey: "k", "content-type": "application/json" },
        body: JSON.stringify(input)
      })
      await r.body.json()
    }
  }
  await Promise.all(Array.from({ length: 64 }, w))
}
const measure = async (f) => {
  for (let i = 0; i < 3; i++) await f()
  const t = performance.now()
  for (let i = 0; i < 15; i++) await f()
  return (15 * 640) / ((performance.now() - t) / 1000)
}
const { NodeHttpClient } = await import("/work/main/packages/node/dist/index.js")
const HttpClient = await import("@effect/platform/HttpClient")
const HttpClientRequest = await import("@effect/platform/HttpClientRequest")
const Schema = await import("effect/Schema")
const { SessionMessageEnvelope } = await import("/work/main/packages/node/dist/index.js")
const decode = Schema.decodeUnknownEither(SessionMessageEnvelope)
const bareRt = ManagedRuntime.make(NodeHttpClient.layer)
const req = HttpClientRequest.post(url + "/api/public/conversation/text").pipe(
  HttpClientRequest.setHeaders({ apiKey: "k" })
)
const bare = Effect.forEach(
  Array.from({ length: 640 }),
  () =>
    Effect.flatMap(HttpClient.HttpClient, (c) =>
      Effect.flatMap(c.execute(HttpClientRequest.bodyUnsafeJson(req, input)), (r) =>
        Effect.map(r.text, (t) => decode(JSON.parse(t)))
      )
    ),
  { concurrency: 64, discard: true }
)
const Headers = await import("@effect/platform/Headers")
const one = () =>
  Effect.flatMap(HttpClient.HttpClient, (c) =>
    Effect.flatMap(c.execute(HttpClientRequest.bodyUnsafeJson(req, input)), (r) =>
      Effect.map(r.text, (t) => decode(JSON.parse(t)))
    )
  )
const many = (f) => Effect.forEach(Array.from({ length: 640 }), f, { concurrency: 64, discard: true })
const { validateSessionMessageRequest } = await import("/work/main/packages/node/dist/index.js")
const off = (c) => HttpClient.withTracerDisabledWhen(HttpClient.withTracerPropagation(c, false), () => true)
const post = () => Effect.flatMap(HttpClient.HttpClient, (c) => Effect.flatMap(off(c).execute(HttpClientRequest.bodyUnsafeJson(req, input)), (r) => Effect.map(r.text, (t) => decode(JSON.parse(t)))))
const variants = {
  post: many(post),
}
const results = {}
for (let round = 0; round < 5; round++) {
  for (const [k, v] of Object.entries(variants)) (results[k] ??= []).push(await measure(() => bareRt.runPromise(v)))
  ;(results.sdk ??= []).push(await measure(() => runtime.runPromise(batch)))
}
const med = (xs) => xs.sort((a, b) => a - b)[2]
for (const [k, v] of Object.entries(results)) console.log(k.padEnd(14), Math.round(med(v)))
console.log("sdk/post", (med(results.sdk) / med(results.post)).toFixed(3))
await agent.destroy()
await runtime.dispose()
child.stdin.end()
