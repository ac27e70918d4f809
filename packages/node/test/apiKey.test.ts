/**
 * An API key that cannot travel in the `apiKey` header (read from a secrets file with its
 * trailing newline) is refused when the client is built, instead of failing every send as an
 * ambiguous NetworkError with no request made.
 */
import { type Emulator, startEmulator } from "@oneroute/testkit"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createClient, InvalidOptionsError, layer, layerConfig, OneRoute } from "../src/effect.js"

const CUSTOMER = "2348012345678"
const FROM = "2348000000001"
let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator.close())

const thrown = (build: () => unknown): unknown => {
  try {
    build()
  } catch (error) {
    return error
  }
  return undefined
}

describe("an unusable API key", () => {
  it("createClient throws InvalidOptionsError for a key with a trailing newline, naming the fix, not the key", async () => {
    const error = thrown(() => createClient({ apiKey: `${emulator.apiKey}\n`, baseUrl: emulator.url }))
    expect(error).toBeInstanceOf(InvalidOptionsError)
    const { option, message } = error as InvalidOptionsError
    expect(option).toBe("apiKey")
    expect(message).toMatch(/ends with a newline.*trim it/)
    expect(message).not.toContain(emulator.apiKey)
    expect(JSON.stringify(error)).not.toContain(emulator.apiKey)
    expect(emulator.requests()).toBe(0)
  })

  it("createClient throws for a control character inside the key, and for one from ONEROUTE_API_KEY", () => {
    expect(thrown(() => createClient({ apiKey: "ab\u0007cd", baseUrl: emulator.url }))).toMatchObject({
      _tag: "InvalidOptionsError",
      option: "apiKey",
      problem: expect.stringMatching(/control character \(U\+0007\) at position 3/)
    })
    const saved = process.env.ONEROUTE_API_KEY
    process.env.ONEROUTE_API_KEY = `${emulator.apiKey}\r\n`
    try {
      expect(thrown(() => createClient({ baseUrl: emulator.url }))).toBeInstanceOf(InvalidOptionsError)
    } finally {
      if (saved === undefined) delete process.env.ONEROUTE_API_KEY
      else process.env.ONEROUTE_API_KEY = saved
    }
  })

  it("layer fails with the InvalidOptionsError defect; layerConfig with a ConfigError naming ONEROUTE_API_KEY", async () => {
    const send = OneRoute.sendSessionMessage({ from: FROM, to: CUSTOMER, message: "hi" })
    const viaLayer = await Effect.runPromiseExit(
      Effect.provide(send, layer({ apiKey: `${emulator.apiKey} `, baseUrl: emulator.url }))
    )
    expect(Exit.isFailure(viaLayer) && Cause.squash(viaLayer.cause)).toBeInstanceOf(InvalidOptionsError)

    const env = ConfigProvider.fromMap(
      new Map([
        ["ONEROUTE_API_KEY", `${emulator.apiKey}\n`],
        ["ONEROUTE_BASE_URL", emulator.url]
      ])
    )
    const viaConfig = await Effect.runPromiseExit(
      Effect.provide(send, layerConfig.pipe(Layer.provide(Layer.setConfigProvider(env))))
    )
    expect(Exit.isFailure(viaConfig)).toBe(true)
    const text = Exit.isFailure(viaConfig) ? String(Cause.squash(viaConfig.cause)) : ""
    expect(text).toMatch(/ONEROUTE_API_KEY|apiKey/)
    expect(text).toMatch(/newline/)
    expect(text).not.toContain(emulator.apiKey)
    expect(emulator.requests()).toBe(0)
  })
})
