import { connectEmulator, documentedSuccessBody, type EmulatorControl } from "@oneroute/testkit/conformance"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest"
import { layer, OneRoute } from "../src/effect.js"
import {
  ClientClosedError,
  createClient,
  InvalidOptionsError,
  isOneRouteError,
  NetworkError,
  RejectedError
} from "../src/index.js"
import { rejectionOf, thrownBy } from "./outcomes.js"

const SEND_PATH = "/api/public/conversation/text"
const CUSTOMER = "2348012345678"
const BUSINESS = "2348000000001"
const send = { from: BUSINESS, to: CUSTOMER, message: "hi" }

/** What the page handed to `fetch` for the send endpoint (control calls to the emulator excluded). */
const spyOnSends = () => {
  const spy = vi.spyOn(globalThis, "fetch")
  return () =>
    spy.mock.calls
      .map(([input, init]) => ({
        url: input instanceof Request ? input.url : String(input),
        method: init?.method ?? (input instanceof Request ? input.method : "GET"),
        headers: new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))
      }))
      .filter((call) => call.method === "POST" && !new URL(call.url).pathname.startsWith("/__"))
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })

afterEach(() => {
  vi.restoreAllMocks()
})

describe("options", () => {
  it("refuses an apiKey without dangerouslyAllowBrowser, explaining why and what to do instead", () => {
    // @ts-expect-error an apiKey needs dangerouslyAllowBrowser: true
    const error = thrownBy(() => createClient({ apiKey: "k" }))
    expect(error).toBeInstanceOf(InvalidOptionsError)
    expect((error as InvalidOptionsError).option).toBe("dangerouslyAllowBrowser")
    const message = (error as InvalidOptionsError).message
    expect(message).toMatch(/readable by every visitor/)
    expect(message).toMatch(/relayUrl/)
    expect(message).toMatch(/dangerouslyAllowBrowser: true/)
    expect(message).not.toContain('"k"')
  })

  it("refuses dangerouslyAllowBrowser: false the same way", () => {
    // @ts-expect-error the flag must be the literal true
    const error = thrownBy(() => createClient({ apiKey: "k", dangerouslyAllowBrowser: false }))
    expect(error).toBeInstanceOf(InvalidOptionsError)
    expect((error as InvalidOptionsError).option).toBe("dangerouslyAllowBrowser")
  })

  it("needs a relayUrl when there is no apiKey", () => {
    // @ts-expect-error options are required
    const error = thrownBy(() => createClient({}))
    expect(error).toBeInstanceOf(InvalidOptionsError)
    expect((error as InvalidOptionsError).option).toBe("relayUrl")
  })

  it("refuses relayUrl together with an apiKey", () => {
    // @ts-expect-error relay mode has no key
    const error = thrownBy(() => createClient({ relayUrl: "/oneroute", apiKey: "k", dangerouslyAllowBrowser: true }))
    expect(error).toBeInstanceOf(InvalidOptionsError)
    expect((error as InvalidOptionsError).option).toBe("apiKey")
  })

  it.each([
    ["plain http to a remote host", "http://relay.example.com/oneroute"],
    ["another scheme", "ftp://relay.example.com/"],
    ["credentials in the URL", "https://user:pass@relay.example.com/"],
    ["an empty URL", ""]
  ])("refuses a relay URL with %s", (_, relayUrl) => {
    const error = thrownBy(() => createClient({ relayUrl }))
    expect(error).toBeInstanceOf(InvalidOptionsError)
    expect((error as InvalidOptionsError).option).toBe("relayUrl")
  })

  it("refuses a bad timeout in relay mode too", () => {
    const error = thrownBy(() => createClient({ relayUrl: "/oneroute", timeout: -1 }))
    expect(error).toBeInstanceOf(InvalidOptionsError)
    expect((error as InvalidOptionsError).option).toBe("timeout")
  })
})

describe("relay mode", () => {
  let control: EmulatorControl
  beforeAll(async () => {
    control = await connectEmulator(inject("emulatorUrl"))
  })
  beforeEach(() => control.reset())

  it("control: direct mode does send the apiKey header (so the spy above can see one)", async () => {
    const sends = spyOnSends()
    await control.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    const client = createClient({ apiKey: control.apiKey, baseUrl: control.url, dangerouslyAllowBrowser: true })
    try {
      await client.sendSessionMessage(send)
    } finally {
      await client.close()
    }
    expect(sends()[0]?.headers.get("apikey")).toBe(control.apiKey)
    expect(sends()[0]?.headers.has("traceparent")).toBe(false)
    // Only Chromium ignores a page-set User-Agent; elsewhere it would need CORS approval.
    expect(sends()[0]?.headers.has("user-agent")).toBe(false)
    expect(await control.sent()).toHaveLength(1)
  })

  it("posts under a relative relayUrl, resolved against location.href, and decodes the relay's envelope", async () => {
    const spy = vi.spyOn(globalThis, "fetch").mockResolvedValue(json(documentedSuccessBody))
    const client = createClient({ relayUrl: "/oneroute" })
    try {
      const message = await client.sendSessionMessage({ ...send, to: "+234 801 234 5678" })
      expect(message.id).toBe(documentedSuccessBody.data.id)
      expect(message.conversationId).toBe(documentedSuccessBody.data.conversation_id)
      expect(message.createdAt).toBeInstanceOf(Date)
    } finally {
      await client.close()
    }
    expect(spy).toHaveBeenCalledTimes(1)
    const [input, init] = spy.mock.calls[0] ?? []
    expect(String(input)).toBe(new URL("/oneroute/api/public/conversation/text", location.href).href)
    expect(new Headers(init?.headers).has("apikey")).toBe(false)
    expect(JSON.parse(String(init?.body))).toEqual({
      from: BUSINESS,
      to: CUSTOMER,
      message: "hi"
    })
  })

  it("turns the relay's failure envelope into the same tagged error", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(json({ data: null, message: "Window closed", success: false }, 422))
    const client = createClient({ relayUrl: "/oneroute" })
    try {
      const error = await rejectionOf(client.sendSessionMessage(send))
      expect(error).toBeInstanceOf(RejectedError)
      expect(isOneRouteError(error)).toBe(true)
      expect((error as RejectedError).status).toBe(422)
      expect((error as RejectedError).serverMessage).toBe("Window closed")
    } finally {
      await client.close()
    }
  })

  it("layer({ relayUrl }) gives Effect users the same key-less relay", async () => {
    const relayUrl = inject("relayUrl")
    await fetch(new URL("/__relay/allow-origin", relayUrl), {
      method: "POST",
      body: JSON.stringify({ origin: location.origin })
    })
    await control.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    const sends = spyOnSends()
    const message = await Effect.runPromise(OneRoute.sendSessionMessage(send).pipe(Effect.provide(layer({ relayUrl }))))
    expect((await control.sent()).map((m) => m.id)).toEqual([message.id])
    expect(sends()[0]?.headers.has("apikey")).toBe(false)
    // As createClient: no SDK User-Agent, a header a cross-origin relay would have to allow.
    expect(sends()[0]?.headers.has("user-agent")).toBe(false)
  })

  it("rejects a send after close()", async () => {
    const client = createClient({ relayUrl: `${control.url}${SEND_PATH}` })
    await client.close()
    const sends = spyOnSends()
    const error = await client.sendSessionMessage(send).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ClientClosedError)
    expect(isOneRouteError(error) && error.sendOutcome).toBe("not-sent")
    expect(sends()).toHaveLength(0)
  })

  it("layer with an unusable relayUrl dies with InvalidOptionsError", async () => {
    const exit = await Effect.runPromiseExit(
      OneRoute.sendSessionMessage(send).pipe(Effect.provide(layer({ relayUrl: "http://relay.example.com" })))
    )
    expect(Exit.isFailure(exit) && Cause.squash(exit.cause)).toBeInstanceOf(InvalidOptionsError)
  })
})

describe("Chromium resends a POST whose reused connection was reset (a duplicate the SDK cannot see)", () => {
  let control: EmulatorControl
  beforeAll(async () => {
    control = await connectEmulator(inject("emulatorUrl"))
  })
  beforeEach(() => control.reset())

  it.each([
    ["after-accept", 2],
    ["before-accept", 1]
  ] as const)("reset %s: the send resolves, the emulator got two requests and accepted %i", async (when, accepted) => {
    await control.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    await control.inject({ kind: "reset", when })
    const client = createClient({ apiKey: control.apiKey, baseUrl: control.url, dangerouslyAllowBrowser: true })
    try {
      const message = await client.sendSessionMessage(send)
      expect(message.content).toBe("hi")
    } finally {
      await client.close()
    }
    expect(await control.requests()).toBe(2)
    expect(await control.sent()).toHaveLength(accepted)
  })
})

describe("relay mode through a real relayHandler (@oneroute/node) in front of the emulator", () => {
  const relayUrl = inject("relayUrl")
  const relayControl = (name: string, body: unknown = {}) =>
    fetch(new URL(`/__relay/${name}`, relayUrl), { method: "POST", body: JSON.stringify(body) })
  let control: EmulatorControl
  beforeAll(async () => {
    control = await connectEmulator(inject("emulatorUrl"))
    await relayControl("allow-origin", { origin: location.origin })
  })
  beforeEach(async () => {
    await control.reset()
    await control.receiveInbound({ from: CUSTOMER, to: BUSINESS })
  })

  it("sends through the relay: no key in the page, the message decoded as a SessionMessage", async () => {
    const sends = spyOnSends()
    const client = createClient({ relayUrl })
    try {
      const message = await client.sendSessionMessage(send)
      expect(message.createdAt).toBeInstanceOf(Date)
      expect((await control.sent()).map((m) => m.id)).toEqual([message.id])
    } finally {
      await client.close()
    }
    expect(sends()[0]?.headers.has("apikey")).toBe(false)
    expect(sends()[0]?.headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("OneRoute's failures arrive as the same tagged classes", async () => {
    const client = createClient({ relayUrl, retry: false })
    try {
      await control.inject({ kind: "reset", when: "after-accept" })
      const reset = await rejectionOf(client.sendSessionMessage(send))
      expect(reset).toBeInstanceOf(NetworkError)
      expect((reset as NetworkError).sendOutcome).toBe("unknown")
      await control.advanceClock(24 * 60 * 60 * 1000 + 1)
      const closed = await rejectionOf(client.sendSessionMessage(send))
      expect(closed).toBeInstanceOf(RejectedError)
      expect((closed as RejectedError).serverMessage).toMatch(/24/)
    } finally {
      await client.close()
    }
  })

  it("Chromium's silent resend after a reset gets the first answer: the customer gets one message", async () => {
    const client = createClient({ relayUrl })
    try {
      await client.sendSessionMessage(send) // warms the connection the resend will reuse
      await control.reset()
      await control.receiveInbound({ from: CUSTOMER, to: BUSINESS })
      const before = Number(await (await fetch(new URL("/__relay/requests", relayUrl))).json())
      await relayControl("reset-next")
      const message = await client.sendSessionMessage(send)
      const after = Number(await (await fetch(new URL("/__relay/requests", relayUrl))).json())
      expect(after - before).toBe(2) // the reset request and Chromium's resend
      expect(await control.requests()).toBe(1)
      expect((await control.sent()).map((m) => m.id)).toEqual([message.id])
    } finally {
      await client.close()
    }
  })
})
