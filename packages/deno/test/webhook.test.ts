/**
 * Webhooks on Deno: `verifyWebhook` with Deno's Web Crypto against signatures from node:crypto,
 * and `webhookHandler` served by `Deno.serve` end to end on 127.0.0.1 (the peer's address comes
 * from `Deno.serve`'s own second argument, so the allow-list works without any glue).
 */
import { createHmac } from "node:crypto"
import * as Redacted from "effect/Redacted"
import { verifyWebhook, type WebhookEvent, WebhookSignatureError, webhookHandler } from "../src/index.ts"
import { test } from "./support/test.ts"

const SECRET = "whsec-deno-test"
const sign = (body: string, secret = SECRET): string => createHmac("sha512", secret).update(body).digest("hex")

const assert = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(message)
}

const body = (content: string) =>
  JSON.stringify(
    {
      event: "newMessage",
      message: {
        sender: { name: "Ada", authUser: false, lastActivity: "2026-12-06T10:00:00.000Z" },
        content,
        contentType: "TEXT",
        conversation_id: "conv-deno"
      },
      conversation: { id: "conv-deno", lastMessageAt: "2026-12-06T10:00:01.000Z" }
    },
    null,
    2
  )

test("verifyWebhook on Deno: raw bytes, OneRoute's recipe, rotation, and each refusal", async () => {
  const text = body("Ẹ kú àárọ̀ 👋🏾")
  const recipe = sign(JSON.stringify(JSON.parse(text)))
  for (const signature of [sign(text), sign(text).toUpperCase(), recipe]) {
    const event = await verifyWebhook({ body: new TextEncoder().encode(text), signature, secret: SECRET })
    assert(event._tag === "NewMessage" && event.content === "Ẹ kú àárọ̀ 👋🏾", `not verified: ${signature}`)
  }
  const rotated = await verifyWebhook({
    body: text,
    signature: sign(text, "next"),
    secret: [Redacted.make(SECRET), "next"]
  })
  assert(rotated._tag === "NewMessage", "rotation")
  for (const [signature, reason] of [
    [null, "missing"],
    ["abc", "malformed"],
    [sign(`${text} `), "mismatch"]
  ] as const) {
    const error = await verifyWebhook({ body: text, signature, secret: SECRET }).then(
      () => undefined,
      (caught: unknown) => caught
    )
    assert(error instanceof WebhookSignatureError && error.reason === reason, `expected ${reason}, got ${error}`)
    assert(!String(error).includes(SECRET) && !JSON.stringify(error).includes(SECRET), "the secret is shown")
  }
})

test("webhookHandler on Deno.serve: 200 once, 200 for a repeat, 401, 413, the allow-list", async () => {
  const events: Array<WebhookEvent> = []
  const handler = webhookHandler({ secret: SECRET, maxBodyBytes: 4096, onEvent: (event) => void events.push(event) })
  const guarded = webhookHandler({ secret: SECRET, allowedIps: ["174.138.104.128"], onEvent: () => {} })
  const open = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler)
  const closed = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, guarded)
  const local = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    webhookHandler({ secret: SECRET, allowedIps: ["127.0.0.1"], onEvent: () => {} })
  )
  try {
    const post = async (port: number, text: string, signature?: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/webhooks`, {
        method: "POST",
        body: text,
        headers: signature === undefined ? {} : { "x-oneroute-signature": signature }
      })
      await response.body?.cancel()
      return response.status
    }
    const text = body("hello from Deno")
    assert((await post(open.addr.port, text, sign(text))) === 200, "first delivery")
    assert((await post(open.addr.port, text, sign(text))) === 200, "repeat")
    assert(events.length === 1, `onEvent ran ${events.length} times`)
    assert(events[0]?._tag === "NewMessage" && events[0].direction === "inbound", "decoded event")
    assert((await post(open.addr.port, text, sign("other"))) === 401, "bad signature")
    const big = body("x".repeat(5000))
    assert((await post(open.addr.port, big, sign(big))) === 413, "too large")
    assert((await post(closed.addr.port, text, sign(text))) === 403, "outside the allow-list")
    // Deno.serve's own second argument names the peer: the allow-list needs no glue.
    assert((await post(local.addr.port, text, sign(text))) === 200, "inside the allow-list")
    assert(events.length === 1, "no event from refused deliveries")
  } finally {
    await Promise.all([open.shutdown(), closed.shutdown(), local.shutdown()])
  }
})
