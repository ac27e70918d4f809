import { inspect } from "node:util"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { it as effectIt } from "@effect/vitest"
import * as Platform from "@oneroute/core/platform"
import { type Emulator, startEmulator } from "@oneroute/testkit"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import {
  ClientClosedError,
  createClient,
  InvalidOptionsError,
  isOneRouteError,
  layer,
  layerConfig,
  OneRoute,
  RejectedError
} from "../src/effect.js"

const CUSTOMER = "2348012345678"
let emulator: Emulator
let from: string
beforeAll(async () => {
  emulator = await startEmulator()
  from = "2348000000001"
})
afterAll(() => emulator.close())
beforeEach(() => {
  emulator.reset()
  emulator.receiveInbound({ from: CUSTOMER, to: from })
})

/** Records every span's name and attributes, so tests can read what tracing exports. */
const recordingTracer = () => {
  const spans: Array<{ name: string; attributes: Map<string, unknown> }> = []
  const tracer = Tracer.make({
    context: (f) => f(),
    span: (name, parent, context, links, startTime, kind) => {
      const attributes = new Map<string, unknown>()
      spans.push({ name, attributes })
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: String(spans.length),
        traceId: "trace",
        parent,
        context,
        links: [...links],
        sampled: true,
        kind,
        attributes,
        status: { _tag: "Started", startTime },
        end: () => {},
        attribute: (key, value) => void attributes.set(key, value),
        event: () => {},
        addLinks: () => {}
      }
      return span
    }
  })
  return { spans, tracer }
}

describe("Effect API", () => {
  effectIt.effect("sends through OneRoute.layer and catches a rejection by tag", () =>
    Effect.gen(function* () {
      const message = yield* OneRoute.sendSessionMessage({ from, to: CUSTOMER, message: "from Effect" })
      expect(message.content).toBe("from Effect")
      const refused = yield* OneRoute.sendSessionMessage({ from, to: "2348099999999", message: "closed window" }).pipe(
        Effect.catchTag("RejectedError", (error) => Effect.succeed(error))
      )
      expect(refused).toBeInstanceOf(RejectedError)
    }).pipe(
      Effect.provide(Layer.suspend(() => layer({ apiKey: Redacted.make(emulator.apiKey), baseUrl: emulator.url })))
    )
  )

  effectIt.effect("layerConfig reads ONEROUTE_API_KEY, ONEROUTE_BASE_URL and ONEROUTE_TIMEOUT", () =>
    Effect.gen(function* () {
      const message = yield* OneRoute.sendSessionMessage({ from, to: CUSTOMER, message: "from config" })
      expect(emulator.sent().map((m) => m.id)).toEqual([message.id])
    }).pipe(
      Effect.provide(layerConfig),
      Effect.withConfigProvider(
        ConfigProvider.fromMap(
          new Map([
            ["ONEROUTE_API_KEY", emulator.apiKey],
            ["ONEROUTE_BASE_URL", emulator.url],
            ["ONEROUTE_TIMEOUT", "2000"]
          ])
        )
      )
    )
  )

  effectIt.effect("one span per send, with status and attempts; the API key in no log line or span", () => {
    const lines: Array<string> = []
    const { spans, tracer } = recordingTracer()
    emulator.inject({ kind: "rate-limit", retryAfter: 0 })
    // A consumer's HttpClient that logs every request: its headers must print redacted.
    const loggingHttpClient = Layer.effect(
      HttpClient.HttpClient,
      Effect.map(HttpClient.HttpClient, (client) =>
        HttpClient.tapRequest(client, (request) => Effect.logDebug("request", request))
      )
    ).pipe(Layer.provide(FetchHttpClient.layer))
    return Effect.gen(function* () {
      yield* OneRoute.sendSessionMessage({ from, to: CUSTOMER, message: "traced" })
      yield* Effect.logInfo("done", { options: { apiKey: Redacted.make(emulator.apiKey) } })
      expect(spans.map((span) => span.name)).toEqual(["OneRoute.sendSessionMessage"])
      const attributes = spans[0]?.attributes
      expect(attributes?.get("http.response.status_code")).toBe(200)
      expect(attributes?.get("oneroute.attempts")).toBe(2)
      expect(lines.some((line) => line.includes("retrying"))).toBe(true)
      expect(lines.some((line) => line.includes("apikey") && line.includes("<redacted>"))).toBe(true)
      const everything = JSON.stringify([lines, spans.map((s) => [s.name, [...s.attributes]])])
      expect(everything).not.toContain(emulator.apiKey)
    }).pipe(
      Effect.provide(
        Layer.suspend(() =>
          Platform.layer({ apiKey: emulator.apiKey, baseUrl: emulator.url }).pipe(Layer.provide(loggingHttpClient))
        )
      ),
      Effect.withTracer(tracer),
      Logger.withMinimumLogLevel(LogLevel.Debug),
      Effect.provide(
        Logger.replace(
          Logger.defaultLogger,
          Logger.map(Logger.logfmtLogger, (line) => void lines.push(line))
        )
      )
    )
  })
})

describe("createClient (Promise API)", () => {
  it("falls back to ONEROUTE_* environment variables", async () => {
    const saved = { ...process.env }
    Object.assign(process.env, { ONEROUTE_API_KEY: emulator.apiKey, ONEROUTE_BASE_URL: emulator.url })
    const client = createClient()
    try {
      const message = await client.sendSessionMessage({ from, to: CUSTOMER, message: "env" })
      expect(message.content).toBe("env")
    } finally {
      process.env = saved
      await client.close()
    }
  })

  it("throws InvalidOptionsError at once without an API key, or with an http base URL", () => {
    const saved = process.env.ONEROUTE_API_KEY
    delete process.env.ONEROUTE_API_KEY
    try {
      expect(() => createClient()).toThrow(InvalidOptionsError)
      expect(() => createClient({ apiKey: "k", baseUrl: "http://api.oneroute.io" })).toThrow(/https/)
    } finally {
      if (saved !== undefined) process.env.ONEROUTE_API_KEY = saved
    }
  })

  it("rejects with error instances whose util.inspect never shows the key", async () => {
    const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url })
    emulator.inject({ kind: "status", status: 500 })
    const error = await client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }).catch((e: unknown) => e)
    await client.close()
    expect(inspect(error, { depth: 10 })).toContain("ServerError")
    expect(inspect(error, { depth: 10 })).not.toContain(emulator.apiKey)
  })

  it("rejects sends after close()", async () => {
    const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url })
    await client.sendSessionMessage({ from, to: CUSTOMER, message: "before close" })
    await client.close()
    const error = await client.sendSessionMessage({ from, to: CUSTOMER, message: "after close" }).catch((e) => e)
    expect(error).toBeInstanceOf(ClientClosedError)
    expect(isOneRouteError(error) && error.sendOutcome).toBe("not-sent")
    expect(error.message).toMatch(/closed.*createClient\(\)/)
    expect(emulator.sent().map((m) => m.message)).toEqual(["before close"])
  })
})
