import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Platform from "@oneroute/core/platform"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import {
  InvalidApiKeyError,
  isOneRouteError,
  layer,
  NetworkError,
  OneRoute,
  RejectedError,
  relayHandler,
  ServerError
} from "../src/effect.js"
import { BUSINESS, CUSTOMER, send, sharedEmulator, startRelay as startRelayOn, stopRelay } from "./support/relay.js"

const emulator = sharedEmulator()

const startRelay = (options: Partial<Parameters<typeof relayHandler>[0]> = {}) => startRelayOn(emulator, options)
const stop = stopRelay

/** The SDK in relay mode, as a browser would use it, over real HTTP. */
const relayClient = (relayUrl: string) => ManagedRuntime.make(layer({ relayUrl, retry: false }))

const failureOf = async (runtime: ReturnType<typeof relayClient>) => {
  const exit = await runtime.runPromise(Effect.flip(OneRoute.sendSessionMessage(send)))
  expect(isOneRouteError(exit)).toBe(true)
  return exit
}

describe("relayHandler", () => {
  let relay: Awaited<ReturnType<typeof startRelay>>
  let client: ReturnType<typeof relayClient>
  beforeEach(async () => {
    relay = await startRelay()
    client = relayClient(relay.baseUrl)
  })
  afterEach(async () => {
    await client.dispose()
    await stop(relay)
  })

  it("forwards with the key and answers with OneRoute's envelope", async () => {
    const message = await client.runPromise(OneRoute.sendSessionMessage({ ...send, to: "+234 801 234 5678" }))
    expect(message.content).toBe("through the relay")
    expect(message.createdAt).toBeInstanceOf(Date)
    expect(emulator.sent().map((m) => [m.id, m.to])).toEqual([[message.id, CUSTOMER]])
  })

  it("delivers OneRoute's failures as the same tagged classes, key never in the answer", async () => {
    await emulator.clock.advance(24 * 60 * 60 * 1000 + 1)
    const rejected = await failureOf(client)
    expect(rejected).toBeInstanceOf(RejectedError)
    expect((rejected as RejectedError).serverMessage).toMatch(/24/)

    emulator.inject({ kind: "reset", when: "after-accept" })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    const reset = await failureOf(client)
    expect(reset).toBeInstanceOf(NetworkError)
    expect(reset.sendOutcome).toBe("unknown")

    emulator.inject({ kind: "status", status: 503, body: "<html>down</html>", contentType: "text/html" })
    expect(await failureOf(client)).toBeInstanceOf(ServerError)

    const raw = await fetch(relay.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(send)
    })
    expect(await raw.text()).not.toContain(emulator.apiKey)
  })

  it("a relay holding a wrong key reports InvalidApiKeyError to the page", async () => {
    const wrong = await startRelay({ apiKey: "not-the-key" })
    const wrongClient = relayClient(wrong.baseUrl)
    try {
      expect(await failureOf(wrongClient)).toBeInstanceOf(InvalidApiKeyError)
    } finally {
      await wrongClient.dispose()
      await stop(wrong)
    }
  })

  it("refuses a from number that is not allowed, without calling OneRoute", async () => {
    const error = await client.runPromise(Effect.flip(OneRoute.sendSessionMessage({ ...send, from: "2348000000002" })))
    expect(error).toBeInstanceOf(RejectedError)
    expect((error as RejectedError).status).toBe(403)
    expect(emulator.requests()).toBe(0)
  })

  it("validates the body with the SDK's schemas, listing every issue", async () => {
    const response = await fetch(relay.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: "1", to: CUSTOMER, message: "" })
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as {
      success: boolean
      error: { _tag: string; issues: Array<{ path: Array<string> }> }
    }
    expect(body.success).toBe(false)
    expect(body.error._tag).toBe("InvalidInputError")
    expect(body.error.issues.map((issue) => issue.path.join("."))).toEqual(["from", "message"])
    expect(emulator.requests()).toBe(0)
  })

  it.each([
    ["a GET", { method: "GET" }, 405],
    ["text/plain", { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" }, 415],
    [
      "a body over the limit",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...send, message: "x".repeat(40_000) })
      },
      413
    ],
    [
      "a foreign origin",
      {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://evil.example" },
        body: JSON.stringify(send)
      },
      403
    ],
    ["non-JSON", { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" }, 400]
  ] as const)("refuses %s (%i) with a typed envelope", async (_, init, status) => {
    const response = await fetch(relay.url, init)
    expect(response.status).toBe(status)
    const body = (await response.json()) as { success: boolean; error: { _tag: string } }
    expect(body.success).toBe(false)
    expect(["RejectedError", "InvalidInputError"]).toContain(body.error._tag)
    expect(emulator.requests()).toBe(0)
  })

  it("answers CORS preflights for allowed origins only", async () => {
    const allowed = await startRelay({ allowedOrigins: ["https://support.example.com"] })
    try {
      const ok = await fetch(allowed.url, { method: "OPTIONS", headers: { origin: "https://support.example.com" } })
      expect(ok.status).toBe(204)
      expect(ok.headers.get("access-control-allow-origin")).toBe("https://support.example.com")
      expect(ok.headers.get("access-control-allow-headers")).toContain("idempotency-key")
      const denied = await fetch(allowed.url, { method: "OPTIONS", headers: { origin: "https://evil.example" } })
      expect(denied.status).toBe(403)
    } finally {
      await stop(allowed)
    }
  })

  describe("Idempotency-Key", () => {
    const post = (key: string, body: unknown = send) =>
      fetch(relay.url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify(body)
      }).then(async (response) => ({ status: response.status, body: await response.text() }))

    it("concurrent and later repeats get the first answer; OneRoute sends once", async () => {
      emulator.inject({ kind: "latency", ms: 150 })
      const [first, second] = await Promise.all([post("key-1"), post("key-1")])
      const third = await post("key-1")
      expect(first.status).toBe(200)
      expect(second).toEqual(first)
      expect(third).toEqual(first)
      expect(emulator.sent()).toHaveLength(1)
    })

    it("an outcome that may have sent the message is kept, so a repeat cannot send twice", async () => {
      emulator.inject({ kind: "reset", when: "after-accept" })
      const first = await post("key-2")
      const again = await post("key-2")
      expect(first.status).toBe(502)
      expect(again).toEqual(first)
      expect(emulator.sent()).toHaveLength(1)
    })

    it("a failure that certainly sent nothing is forgotten, so a retry tries again", async () => {
      emulator.inject({ kind: "rate-limit", retryAfter: 1 })
      expect((await post("key-3")).status).toBe(429)
      expect((await post("key-3")).status).toBe(200)
      expect(emulator.sent()).toHaveLength(1)
    })

    it("the same key with another message is refused", async () => {
      await post("key-4")
      const reused = await post("key-4", { ...send, message: "something else" })
      expect(reused.status).toBe(422)
      expect(emulator.sent()).toHaveLength(1)
    })
  })

  it("the SDK in relay mode sends an Idempotency-Key and no apiKey header", async () => {
    const seen: Array<Headers> = []
    const capture = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(HttpClient.HttpClient, (http) =>
        HttpClient.tapRequest(http, (request) => Effect.sync(() => seen.push(new Headers(request.headers))))
      )
    ).pipe(Layer.provide(FetchHttpClient.layer))
    const runtime = ManagedRuntime.make(Platform.layer({ relayUrl: relay.baseUrl }).pipe(Layer.provide(capture)))
    try {
      await runtime.runPromise(OneRoute.sendSessionMessage(send))
    } finally {
      await runtime.dispose()
    }
    expect(seen).toHaveLength(1)
    expect(seen[0]?.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen[0]?.has("apikey")).toBe(false)
  })

  it("refuses options without allowed numbers, authorize or a trusted origin at once", () => {
    const valid = { apiKey: "k", allowedFrom: [BUSINESS], authorize: () => true, publicUrl: "https://app.example.com" }
    expect(() => relayHandler({ ...valid, allowedFrom: [] })).toThrow(/allowedFrom/)
    expect(() => relayHandler({ ...valid, allowedFrom: ["not a number"] })).toThrow(/allowedFrom/)
    const { authorize: _, ...withoutAuthorize } = valid
    expect(() => relayHandler(withoutAuthorize as typeof valid)).toThrow(/authorize.*required/)
    const { publicUrl: __, ...withoutOrigin } = valid
    expect(() => relayHandler(withoutOrigin)).toThrow(/publicUrl.*allowedOrigins.*trustProxy/)
    expect(() => relayHandler({ ...valid, allowedOrigins: ["not a url"] })).toThrow(/allowedOrigins/)
  })
})
