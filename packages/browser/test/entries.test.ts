/**
 * The two entry points: `@oneroute/browser` is the Promise API (no `OneRoute` service, layers or
 * schemas: a page that only sends loads no Effect runtime), `@oneroute/browser/effect` is
 * everything in it plus the Effect API. `node bench/bundle.mjs` measures what the main entry weighs.
 */
import * as adapterEntry from "@oneroute/core/adapter"
import { describe, expect, it } from "vitest"
import * as effectEntry from "../src/effect.js"
import * as main from "../src/index.js"

const PROMISE_API = [
  "createClient",
  "isOneRouteError",
  "RejectedError",
  "InvalidOptionsError",
  "Endpoint",
  "verifyWebhook",
  "webhookHandler",
  "WebhookSignatureError"
]
const EFFECT_ONLY = ["layer", "layerConfig", "OneRoute", "Webhook", "SessionMessageRequest", "WhatsAppNumber"]
/** Everything `@oneroute/core/adapter` exports: none of it belongs in an adapter's entries. */
const ADAPTER_FACTORIES = Object.keys(adapterEntry)

describe("entry points", () => {
  it("the main entry is the Promise API, without the Effect API or the adapter factories", () => {
    const names = Object.keys(main)
    expect(names).toEqual(expect.arrayContaining(PROMISE_API))
    for (const name of [...EFFECT_ONLY, ...ADAPTER_FACTORIES]) expect(names, name).not.toContain(name)
  })

  it("/effect has the Promise API too, the same functions and classes, plus layer and layerConfig", () => {
    const names = Object.keys(effectEntry)
    expect(names).toEqual(expect.arrayContaining([...PROMISE_API, ...EFFECT_ONLY]))
    for (const name of ADAPTER_FACTORIES) expect(names, name).not.toContain(name)
    expect(effectEntry.createClient).toBe(main.createClient)
    // One class per error, so instanceof holds whichever entry made or checks it.
    expect(effectEntry.RejectedError).toBe(main.RejectedError)
    expect(typeof effectEntry.layer).toBe("function")
  })
})
