/**
 * The tracker fed by a real `webhookHandler` (signed deliveries as Web `Request`s): a customer's
 * message known by conversation opens the window once a send links it; a repeat, a replay with an
 * older time, a future-dated event and a forged delivery open nothing more.
 */
import { createHmac } from "node:crypto"
import { describe, expect, it } from "vitest"
import { createWindowTracker, type WebhookWindows, webhookHandler } from "../src/index.js"

const SECRET = "whsec_test_0123456789"
const pair = { from: "2348000000001", to: "2348012345678" }
const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

const newMessage = (conversationId: string, lastMessageAt: Date) =>
  JSON.stringify({
    event: "newMessage",
    message: {
      sender: { name: "Ada", authUser: false, lastActivity: lastMessageAt.toISOString() },
      externalId: "wamid.1",
      content: "Where is my order?",
      contentType: "TEXT",
      conversation_id: conversationId
    },
    conversation: { id: conversationId, subject: null, lastMessageAt: lastMessageAt.toISOString() }
  })

const deliver = (handler: ReturnType<typeof webhookHandler>, body: string, signature?: string) =>
  handler(
    new Request("http://127.0.0.1/webhooks/oneroute", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-oneroute-signature": signature ?? createHmac("sha512", SECRET).update(body).digest("hex")
      },
      body
    })
  )

describe("the tracker behind webhookHandler({ windows })", () => {
  it("is what the windows option takes", () => {
    const windows: WebhookWindows = createWindowTracker()
    expect(typeof windows.recordInbound).toBe("function")
  })

  it("signed deliveries open the window at the event's own time, once a send links the conversation; repeats, replays and forgeries add nothing", async () => {
    const windows = createWindowTracker()
    const handler = webhookHandler({ secret: SECRET, windows, onEvent: () => {}, onError: () => {} })
    const writtenAt = new Date(Date.now() - HOUR)
    const body = newMessage("conv-42", writtenAt)
    expect((await deliver(handler, body)).status).toBe(200)
    expect((await deliver(handler, body)).status).toBe(200)
    expect((await deliver(handler, newMessage("conv-42", new Date(writtenAt.getTime() - 5 * HOUR)))).status).toBe(200)
    const forged = newMessage("conv-42", new Date())
    expect((await deliver(handler, forged, "ab".repeat(64))).status).toBe(401)
    expect(await windows.status(pair)).toEqual({ state: "unknown" })

    await windows.recordSend({ ...pair, conversationId: "conv-42" })
    expect(await windows.status(pair)).toEqual({
      state: "open",
      lastInboundAt: writtenAt,
      expiresAt: new Date(writtenAt.getTime() + DAY - 5 * 60 * 1000)
    })
  })

  it("an event dated in the future opens the window only from its receipt", async () => {
    const windows = createWindowTracker()
    await windows.recordSend({ ...pair, conversationId: "conv-43" })
    const handler = webhookHandler({ secret: SECRET, windows, onEvent: () => {}, onError: () => {} })
    const before = Date.now()
    expect((await deliver(handler, newMessage("conv-43", new Date("2999-01-01T00:00:00Z")))).status).toBe(200)
    const status = await windows.status(pair)
    expect(status.state).toBe("open")
    if (status.state === "open") {
      expect(status.lastInboundAt.getTime()).toBeGreaterThanOrEqual(before)
      expect(status.lastInboundAt.getTime()).toBeLessThanOrEqual(Date.now())
    }
  })
})
