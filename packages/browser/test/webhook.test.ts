/**
 * `verifyWebhook` in headless Chromium (Chromium's Web Crypto): vectors computed beforehand with
 * Node's node:crypto `createHmac("sha512", secret)`, so the page checks against an independent
 * implementation. Also `webhookHandler` answering web `Request`s in the page itself.
 */
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import {
  verifyWebhook,
  type WebhookEvent,
  WebhookPayloadError,
  WebhookSignatureError,
  webhookHandler
} from "../src/index.js"

const SECRET = "whsec-browser-test"
const BODY = JSON.stringify(
  {
    event: "newMessage",
    message: {
      sender: { name: "Ada", authUser: false },
      content: "Ẹ kú àárọ̀ 👋🏾",
      contentType: "TEXT",
      conversation_id: "conv-browser"
    },
    conversation: { id: "conv-browser", lastMessageAt: "2026-12-06T10:00:01.000Z" }
  },
  null,
  2
)
/** node:crypto's HMAC-SHA512 of BODY's UTF-8 bytes under SECRET. */
const RAW =
  "1bc790f1c7810924ba1e85b39fba811aa7d34e273f4fabfae1cbb6c5ed312b50acad5fb99aced8c8ec4d3b8d93b1bd05d1862045cb24cdfbdd3b6e208f13ac73"
/** node:crypto's HMAC-SHA512 of JSON.stringify(JSON.parse(BODY)) under SECRET (OneRoute's recipe). */
const RECIPE =
  "577b1ade21d735988b437d936789db8696e6467bc89b2e4e580004149d5ff966ea8688456b3d0616daf827aa5910727c776650a21baec19ec3cfdaf4d9c3fd08"
/** node:crypto's HMAC-SHA512 of BODY under "whsec-browser-next". */
const ROTATED =
  "d56e73abce9a362fd93a9ec0b8fd5639cd07f45cada6d78dce914072c8cc193e34d4a5330971bd87610a2a8fbfb66c2c43142a14e057e084b87d6a19d956934c"

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  )

describe("verifyWebhook in Chromium", () => {
  it("verifies node:crypto's signatures over the raw bytes and over OneRoute's recipe", async () => {
    for (const signature of [RAW, RAW.toUpperCase(), RECIPE]) {
      for (const body of [BODY, new TextEncoder().encode(BODY), new TextEncoder().encode(BODY).buffer]) {
        const event = await verifyWebhook({ body, signature, secret: SECRET })
        expect(event).toMatchObject({ _tag: "NewMessage", direction: "inbound", content: "Ẹ kú àárọ̀ 👋🏾" })
      }
    }
  })

  it("accepts any secret of a rotation", async () => {
    const secret = [Redacted.make(SECRET), "whsec-browser-next"]
    expect((await verifyWebhook({ body: BODY, signature: ROTATED, secret }))._tag).toBe("NewMessage")
  })

  it("refuses each way, and never shows the secret", async () => {
    const cases = [
      [undefined, "missing"],
      [RAW.slice(2), "malformed"],
      [`${RAW.slice(0, 127)}z`, "malformed"],
      [ROTATED, "mismatch"],
      [RECIPE.replace(/^./, (first) => (first === "0" ? "1" : "0")), "mismatch"]
    ] as const
    for (const [signature, reason] of cases) {
      const error = await failure(verifyWebhook({ body: BODY, signature, secret: SECRET }))
      expect(error).toBeInstanceOf(WebhookSignatureError)
      expect((error as WebhookSignatureError).reason).toBe(reason)
      expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(SECRET)
    }
    const oneByteOff = `${BODY.slice(0, -1)} }`
    expect(await failure(verifyWebhook({ body: oneByteOff, signature: RAW, secret: SECRET }))).toBeInstanceOf(
      WebhookSignatureError
    )
  })

  it("webhookHandler answers web Requests in the page", async () => {
    const events: Array<WebhookEvent> = []
    const handler = webhookHandler({ secret: SECRET, onEvent: (event) => void events.push(event) })
    const deliver = (signature: string) =>
      handler(
        new Request("https://example.test/webhooks", {
          method: "POST",
          body: BODY,
          headers: { "x-oneroute-signature": signature }
        })
      )
    expect((await deliver(RAW)).status).toBe(200)
    expect((await deliver(RECIPE)).status).toBe(200)
    expect((await deliver(ROTATED)).status).toBe(401)
    expect(events).toHaveLength(1)
    expect(new WebhookPayloadError({ reason: "not-json" }).message).toContain("not JSON")
  })
})
