import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Schema from "effect/Schema"
import { OneRoute, SessionMessageEnvelope, validateSessionMessageRequest } from "../dist/index.js"

const body = JSON.stringify({
  data: {
    id: "c5cb6663-19fb-4551-abee-ddab2d7355d8",
    content: "Hello :)",
    contentType: "TEXT",
    sender: { name: "covid2020", authUser: true, lastActivity: "2021-06-03T14:37:24.684Z" },
    externalId: "gBGHI0kFNWAgTwIJQFXbLV4JUIzD",
    conversation_id: "65763b7f-b9a1-4370-b2ca-9cacfb0d65c2",
    updatedAt: "2021-06-03T14:37:25.664Z",
    createdAt: "2021-06-03T14:37:25.664Z",
    subject: null,
    imageUrl: null,
    videoUrl: null,
    documentUrl: null,
    audioUrl: null,
    quoted_message_id: null
  },
  message: "Message sent to customer",
  success: true
})
const client = HttpClient.make((request) =>
  Effect.succeed(HttpClientResponse.fromWeb(request, new Response(body, { status: 200 })))
)
const http = Layer.succeed(HttpClient.HttpClient, client)
const runtime = ManagedRuntime.make(
  OneRoute.layer({ apiKey: "k", baseUrl: "http://127.0.0.1:1" }).pipe(Layer.provide(http))
)
const input = { from: "2348000000001", to: "2348012345678", message: "Hello :)" }
const N = 640
const many = (f) => Effect.forEach(Array.from({ length: N }), f, { concurrency: 64, discard: true })
const decode = Schema.decodeUnknownEither(SessionMessageEnvelope)
const req = HttpClientRequest.post("http://127.0.0.1:1/x")
const A = () =>
  Effect.flatMap(client.execute(HttpClientRequest.bodyUnsafeJson(req, input)), (r) =>
    Effect.map(r.text, (t) => decode(JSON.parse(t)))
  )
const B = () => Effect.timeout(A(), "30 seconds")
const C = () =>
  B().pipe(Effect.locally(Headers.currentRedactedNames, ["apikey"]), Effect.withSpan("x", { captureStackTrace: false }))
const D = () => Effect.flatMap(validateSessionMessageRequest(input), C)
const E = () => Effect.flatMap(validateSessionMessageRequest(input), A)
const sdk = () => OneRoute.sendSessionMessage(input)
const time = async (label, f) => {
  const eff = many(f)
  for (let i = 0; i < 5; i++) await runtime.runPromise(eff)
  const t = performance.now()
  for (let i = 0; i < 30; i++) await runtime.runPromise(eff)
  console.log(label.padEnd(40), (((performance.now() - t) * 1000) / (30 * N)).toFixed(1), "µs/send")
}
for (let round = 0; round < 2; round++) {
  await time("A execute+text+decode", A)
  await time("B A+timeout", B)
  await time("C B+locally+span", C)
  await time("E validate+A", E)
  await time("D validate+C", D)
  await time("sdk", sdk)
  await time("sdk tracer off", () => Effect.withTracerEnabled(sdk(), false))
}
await runtime.dispose()
