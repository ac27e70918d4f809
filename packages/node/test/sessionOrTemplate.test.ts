/**
 * `sendSessionOrTemplate`'s decision against the real emulator, through a real Node client, with
 * the tracker on the emulator's clock: across the window's end, with the tracker right, wrong,
 * empty or failing. Each case counts what the emulator received: never both, never twice.
 */
import { type Emulator, startEmulator } from "@oneroute/testkit"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { ConversationWindows, layer, sendSessionOrTemplate as sendSessionOrTemplateEffect } from "../src/effect.js"
import {
  createClient,
  createWindowTracker,
  type OneRouteClient,
  type WindowStore,
  type WindowTracker
} from "../src/index.js"

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const BUSINESS = "2348000000001"
const CUSTOMER = "2348012345678"
const input = {
  from: BUSINESS,
  to: CUSTOMER,
  message: "Your order has shipped",
  template: {
    name: "order_update",
    parameters: [
      { type: "text" as const, text: "Ada" },
      { type: "text" as const, text: "A-17" }
    ]
  }
}

let emulator: Emulator
let client: OneRouteClient
let windows: WindowTracker
const emulatorNow = () => emulator.clock.now().getTime()

beforeAll(async () => {
  emulator = await startEmulator()
})
afterAll(() => emulator?.close())
beforeEach(() => {
  emulator.reset()
  client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url })
  windows = createWindowTracker({ now: emulatorNow })
})
afterEach(() => client.close())

/** `client.sendSessionOrTemplate` on a client whose window tracker is `tracker`. */
const send = async (
  tracker: Pick<WindowTracker, "status" | "recordSend" | "recordClosed"> = windows,
  request: typeof input = input
) => {
  const withTracker = createClient({
    apiKey: emulator.apiKey,
    baseUrl: emulator.url,
    windows: tracker as WindowTracker
  })
  try {
    return await withTracker.sendSessionOrTemplate(request)
  } finally {
    await withTracker.close()
  }
}

/** What reached the emulator: session messages, templates, requests. */
const received = () => ({
  sessions: emulator.sent().length,
  templates: emulator.sentTemplates().length,
  requests: emulator.requests()
})

/** The customer writes: the emulator opens its window, and the tracker hears of it as a webhook would. */
const customerWrites = async (conversationId?: string) => {
  emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
  const at = emulator.clock.now()
  await windows.recordInbound(
    conversationId === undefined ? { from: BUSINESS, to: CUSTOMER, at } : { conversationId, at }
  )
}

describe("sendSessionOrTemplate against the emulator", () => {
  it("the tracker knows nothing and the window is open: one session message; the conversation is linked", async () => {
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    const result = await send()
    expect(result.via).toBe("session")
    if (result.via !== "session") return
    expect(result.message.content).toBe(input.message)
    expect(received()).toEqual({ sessions: 1, templates: 0, requests: 1 })
    // The webhook of the customer's next message names only the conversation: it now opens this window.
    await windows.recordInbound({ conversationId: result.message.conversationId, at: emulator.clock.now() })
    expect((await windows.status(input)).state).toBe("open")
  })

  it("the tracker knows nothing and the window is closed: the session is refused, one template goes; closed is recorded", async () => {
    const result = await send()
    expect(result).toMatchObject({ via: "template", outcome: { status: "sent", to: CUSTOMER } })
    expect(received()).toEqual({ sessions: 0, templates: 1, requests: 2 })
    expect(await windows.status(input)).toEqual({ state: "closed" })
    // Known closed now: the next one goes straight to the template.
    await send()
    expect(received()).toEqual({ sessions: 0, templates: 2, requests: 3 })
  })

  it("across the window's end on the emulator's clock: session while open, template within the margin and after, session again once the customer writes", async () => {
    await customerWrites()
    emulator.clock.advance(DAY - 10 * MINUTE)
    expect((await send()).via).toBe("session")
    expect(received()).toEqual({ sessions: 1, templates: 0, requests: 1 })

    // 4 minutes before the end: OneRoute would still take a session message, but the margin says template.
    emulator.clock.advance(6 * MINUTE)
    expect((await windows.status(input)).state).toBe("closed")
    expect((await send()).via).toBe("template")
    expect(received()).toEqual({ sessions: 1, templates: 1, requests: 2 })

    emulator.clock.advance(DAY)
    expect((await send()).via).toBe("template")
    expect(received()).toEqual({ sessions: 1, templates: 2, requests: 3 })

    await customerWrites()
    expect((await send()).via).toBe("session")
    expect(received()).toEqual({ sessions: 2, templates: 2, requests: 4 })
  })

  it("a webhook's inbound known by conversation only, before any send: unknown, a session goes, then open", async () => {
    // The emulator's conversation id for the pair comes with the first send's answer; the webhook
    // arrived first, carrying that id.
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    const first = await send()
    if (first.via !== "session") throw new Error("expected a session message")
    emulator.clock.advance(DAY + MINUTE)
    const fresh = createWindowTracker({ now: emulatorNow })
    await fresh.recordInbound({ conversationId: first.message.conversationId, at: emulator.clock.now() })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect(await fresh.status(input)).toEqual({ state: "unknown" })
    expect((await send(fresh)).via).toBe("session")
    expect((await fresh.status(input)).state).toBe("open")
    expect(received()).toEqual({ sessions: 2, templates: 0, requests: 2 })
  })

  it("the tracker wrongly says open (an inbound OneRoute never saw): refused, one template, then closed", async () => {
    await windows.recordInbound({ from: BUSINESS, to: CUSTOMER, at: emulator.clock.now() })
    expect((await windows.status(input)).state).toBe("open")
    expect((await send()).via).toBe("template")
    expect(received()).toEqual({ sessions: 0, templates: 1, requests: 2 })
    expect((await windows.status(input)).state).toBe("closed")
  })

  it("a failing store: unknown, so a session is tried; its failures never fail nor repeat a send", async () => {
    const down = () => Promise.reject(new Error("store down"))
    const failing: WindowStore = { record: down, recordConversationInbound: down, read: down }
    const tracker = createWindowTracker({ store: failing, now: emulatorNow })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect((await send(tracker)).via).toBe("session")
    emulator.clock.advance(DAY + MINUTE)
    expect((await send(tracker)).via).toBe("template")
    expect(received()).toEqual({ sessions: 1, templates: 1, requests: 3 })
  })

  it("a session failure that may have sent (500): thrown, no template", async () => {
    await customerWrites()
    emulator.inject({ kind: "status", status: 500 })
    await expect(send()).rejects.toMatchObject({ _tag: "ServerError", sendOutcome: "unknown" })
    expect(received()).toMatchObject({ templates: 0, requests: 1 })
  })

  it("a window-closed refusal that does not prove nothing was sent (success: false on a 200): thrown, no template", async () => {
    await customerWrites()
    const body = JSON.stringify({
      data: null,
      success: false,
      message: "The 24-hour customer service window is closed"
    })
    emulator.inject({ kind: "status", status: 200, body, contentType: "application/json" })
    await expect(send()).rejects.toMatchObject({
      _tag: "RejectedError",
      reason: "window-closed",
      sendOutcome: "unknown"
    })
    expect(received()).toMatchObject({ templates: 0, requests: 1 })
  })

  it("a refusal other than window-closed (an unconnected business number): thrown, no template", async () => {
    const unconnected = { ...input, from: "2348000000999" }
    await expect(send(windows, unconnected)).rejects.toMatchObject({
      _tag: "RejectedError",
      reason: "channel-not-connected",
      sendOutcome: "not-sent"
    })
    expect(received()).toEqual({ sessions: 0, templates: 0, requests: 1 })
  })

  it("window closed and a template the channel lacks: its failed outcome, the session tried once", async () => {
    const unknownTemplate = { ...input, template: { name: "no_such_template", parameters: [] } }
    await expect(send(windows, unknownTemplate)).resolves.toMatchObject({
      via: "template",
      outcome: { status: "failed", to: CUSTOMER }
    })
    expect(received()).toEqual({ sessions: 0, templates: 0, requests: 2 })
  })
})

describe("the client's windows option and the Effect API", () => {
  it("plain session sends feed the client's tracker: a success links the conversation, a window-closed refusal closes", async () => {
    const fed = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, windows })
    try {
      await expect(fed.sendSessionMessage({ from: BUSINESS, to: CUSTOMER, message: "hi" })).rejects.toMatchObject({
        reason: "window-closed"
      })
      await expect.poll(() => windows.status({ from: BUSINESS, to: CUSTOMER })).toMatchObject({ state: "closed" })
      await customerWrites()
      await fed.sendSessionMessage({ from: BUSINESS, to: CUSTOMER, message: "hi" })
      // The send proved the window open and linked the conversation; the inbound's time is what the tracker needs.
      expect(emulator.sent()).toHaveLength(1)
    } finally {
      await fed.close()
    }
  })

  it("Effect: sendSessionOrTemplate with ConversationWindows in context sends the template for a known-closed window", async () => {
    await windows.recordClosed({ from: BUSINESS, to: CUSTOMER })
    const result = await Effect.runPromise(
      sendSessionOrTemplateEffect(input).pipe(
        Effect.provide(layer({ apiKey: emulator.apiKey, baseUrl: emulator.url })),
        Effect.provideService(ConversationWindows, ConversationWindows.fromTracker(windows))
      )
    )
    expect(result.via).toBe("template")
    expect(received()).toEqual({ sessions: 0, templates: 1, requests: 1 })
  })

  it("Effect: without ConversationWindows the session goes first, and a window-closed refusal falls back once", async () => {
    const result = await Effect.runPromise(
      sendSessionOrTemplateEffect(input).pipe(Effect.provide(layer({ apiKey: emulator.apiKey, baseUrl: emulator.url })))
    )
    expect(result.via).toBe("template")
    expect(received()).toEqual({ sessions: 0, templates: 1, requests: 2 })
  })

  it("Effect: a failure that may have sent is the typed failure, and no template follows", async () => {
    await customerWrites()
    emulator.inject({ kind: "status", status: 500 })
    const exit = await Effect.runPromiseExit(
      sendSessionOrTemplateEffect(input).pipe(
        Effect.provide(layer({ apiKey: emulator.apiKey, baseUrl: emulator.url, retry: false }))
      )
    )
    expect(exit._tag === "Failure" && Cause.failureOption(exit.cause)).toMatchObject({
      _tag: "Some",
      value: { _tag: "ServerError" }
    })
    expect(received().templates).toBe(0)
  })
})
