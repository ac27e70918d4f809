/**
 * The webhook receiver served by `toNodeListener`: the peer's address reaches `allowedIps` (the
 * socket's, never a forwarded header unless a proxy is trusted), and a signed delivery runs
 * `onEvent` once.
 */
import { createHmac } from "node:crypto"
import { afterEach, describe, expect, it } from "vitest"
import { type WebhookEvent, webhookHandler } from "../src/index.js"
import { serve } from "./support/serve.js"

const SECRET = "whsec-node-listener-test"
const BODY = JSON.stringify({
  event: "newMessage",
  message: { sender: { name: "Ada", authUser: false }, content: "hi", contentType: "TEXT", conversation_id: "c-1" },
  conversation: { id: "c-1", lastMessageAt: "2026-12-06T10:00:00.000Z" }
})
const signature = createHmac("sha512", SECRET).update(BODY).digest("hex")

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

const receiver = async (options: Partial<Parameters<typeof webhookHandler>[0]>) => {
  const events: Array<WebhookEvent> = []
  const served = await serve(
    webhookHandler({ secret: SECRET, onEvent: (event) => void events.push(event), ...options })
  )
  closers.push(served.close)
  const deliver = (headers: Record<string, string> = {}) =>
    fetch(served.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-oneroute-signature": signature, ...headers },
      body: BODY
    })
  return { events, deliver }
}

describe("webhookHandler on toNodeListener", () => {
  it("sees the socket's address: a loopback peer on the allow-list is served", async () => {
    const { events, deliver } = await receiver({ allowedIps: ["127.0.0.1"] })
    expect((await deliver()).status).toBe(200)
    expect(events.map((event) => event._tag)).toEqual(["NewMessage"])
  })

  it("refuses a peer outside the allow-list, whatever X-Forwarded-For claims", async () => {
    const { events, deliver } = await receiver({ allowedIps: ["174.138.104.128"] })
    expect((await deliver()).status).toBe(403)
    expect((await deliver({ "x-forwarded-for": "174.138.104.128" })).status).toBe(403)
    expect(events).toEqual([])
  })
})
