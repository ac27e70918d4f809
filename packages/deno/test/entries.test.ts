/**
 * The two entry points: `@oneroute/deno` is the Promise API (no `OneRoute` service, layers or
 * schemas), `@oneroute/deno/effect` is everything in it plus the Effect API.
 */
import * as adapterEntry from "@oneroute/core/adapter"
import * as effectEntry from "../src/effect.ts"
import * as main from "../src/index.ts"
import { test } from "./support/test.ts"

const assert = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(message)
}

const PROMISE_API = [
  "createClient",
  "relayHandler",
  "isOneRouteError",
  "RejectedError",
  "InvalidOptionsError",
  "Endpoint",
  "verifyWebhook",
  "webhookHandler",
  "WebhookSignatureError"
]
const EFFECT_ONLY = [
  "layer",
  "layerConfig",
  "OneRoute",
  "IdempotencyStore",
  "Webhook",
  "SessionMessageRequest",
  "WhatsAppNumber"
]
/** Everything `@oneroute/core/adapter` exports: none of it belongs in an adapter's entries. */
const ADAPTER_FACTORIES = Object.keys(adapterEntry)

test("the main entry is the Promise API, without the Effect API or the adapter factories", () => {
  const names = Object.keys(main)
  for (const name of PROMISE_API) assert(names.includes(name), `main exports ${name}`)
  for (const name of [...EFFECT_ONLY, ...ADAPTER_FACTORIES]) assert(!names.includes(name), `main has no ${name}`)
})

test("the /effect entry has the Promise API too, the same functions and classes, plus the Effect API", () => {
  const names = Object.keys(effectEntry)
  for (const name of [...PROMISE_API, ...EFFECT_ONLY]) assert(names.includes(name), `/effect exports ${name}`)
  for (const name of ADAPTER_FACTORIES) assert(!names.includes(name), `/effect has no ${name}`)
  assert(effectEntry.createClient === main.createClient, "one createClient")
  assert(effectEntry.RejectedError === main.RejectedError, "one RejectedError class: instanceof works across entries")
  assert(typeof effectEntry.layer === "function", "layer is a function")
})
