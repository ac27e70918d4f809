import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { SessionMessageEnvelope, validateSessionMessageRequest } from "../dist/index.js"

const input = { from: "2348000000001", to: "2348012345678", message: "Hello :)" }
const body =
  '{"data":{"id":"c5cb6663-19fb-4551-abee-ddab2d7355d8","content":"Hello :)","contentType":"TEXT","sender":{"name":"covid2020","authUser":true,"lastActivity":"2021-06-03T14:37:24.684Z"},"externalId":"gBGHI0kFNWAgTwIJQFXbLV4JUIzD","conversation_id":"65763b7f-b9a1-4370-b2ca-9cacfb0d65c2","updatedAt":"2021-06-03T14:37:25.664Z","createdAt":"2021-06-03T14:37:25.664Z","subject":null,"imageUrl":null,"videoUrl":null,"documentUrl":null,"audioUrl":null,"quoted_message_id":null},"message":"Message sent to customer","success":true}'
const d = Schema.decodeUnknownEither(SessionMessageEnvelope)
const N = 50000
let t = performance.now()
for (let i = 0; i < N; i++) Effect.runSync(validateSessionMessageRequest(input))
console.log("validate µs", (((performance.now() - t) * 1000) / N).toFixed(2))
t = performance.now()
for (let i = 0; i < N; i++) d(JSON.parse(body))
console.log("decode µs", (((performance.now() - t) * 1000) / N).toFixed(2))
t = performance.now()
for (let i = 0; i < N; i++) Effect.runSync(Effect.succeed(1))
console.log("runSync µs", (((performance.now() - t) * 1000) / N).toFixed(2))
