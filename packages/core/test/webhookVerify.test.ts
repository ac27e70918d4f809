/**
 * `verifyWebhook` against signatures computed with node:crypto (not the SDK's Web Crypto code):
 * both of OneRoute's recipes, rotation, every refusal reason, every body form, the Effect version,
 * and the secret never shown.
 */
import { inspect } from "node:util"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { Webhook } from "../src/effect.js"
import { InvalidOptionsError, verifyWebhook, WebhookPayloadError, WebhookSignatureError } from "../src/index.js"
import { documentedNewMessage, reserialised, SECRET, sign } from "./webhookSupport.js"

/** Pretty-printed, as a sender that signs the parsed object would not send it. */
const PRETTY = JSON.stringify(documentedNewMessage(), null, 2)

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error
  )

const refusal = async (promise: Promise<unknown>) => {
  const error = await rejection(promise)
  expect(error).toBeInstanceOf(WebhookSignatureError)
  return (error as WebhookSignatureError).reason
}

describe("verifyWebhook", () => {
  it("accepts a signature over the raw bytes (lower and upper case hex)", async () => {
    for (const signature of [sign(PRETTY), sign(PRETTY).toUpperCase()]) {
      const event = await verifyWebhook({ body: PRETTY, signature, secret: SECRET })
      expect(event._tag).toBe("NewMessage")
    }
  })

  it("accepts OneRoute's sample recipe: the HMAC of JSON.stringify(JSON.parse(body))", async () => {
    const signature = sign(reserialised(PRETTY))
    expect(signature).not.toBe(sign(PRETTY))
    const event = await verifyWebhook({ body: PRETTY, signature, secret: SECRET })
    expect(event).toMatchObject({ _tag: "NewMessage", direction: "inbound", conversationId: "conv-123" })
  })

  it("verifies non-ASCII text byte for byte, as a string, a Uint8Array, a subarray and an ArrayBuffer", async () => {
    const body = JSON.stringify(documentedNewMessage({ content: "Ẹ kú àárọ̀ 👋🏾 — ça va?" }))
    const bytes = new TextEncoder().encode(body)
    const padded = new Uint8Array(bytes.length + 8)
    padded.set(bytes, 4)
    for (const form of [body, bytes, padded.subarray(4, 4 + bytes.length), bytes.slice().buffer]) {
      const event = await verifyWebhook({ body: form, signature: sign(bytes), secret: SECRET })
      expect(event._tag === "NewMessage" && event.content).toBe("Ẹ kú àárọ̀ 👋🏾 — ça va?")
    }
  })

  it("accepts any one of several secrets (rotation), given as strings or Redacted", async () => {
    const secrets = ["old-secret", Redacted.make("new-secret")]
    for (const key of ["old-secret", "new-secret"]) {
      const event = await verifyWebhook({ body: PRETTY, signature: sign(PRETTY, key), secret: secrets })
      expect(event._tag).toBe("NewMessage")
    }
    expect(await refusal(verifyWebhook({ body: PRETTY, signature: sign(PRETTY, "third"), secret: secrets }))).toBe(
      "mismatch"
    )
  })

  it("refuses a missing header", async () => {
    for (const signature of [undefined, null, ""]) {
      expect(await refusal(verifyWebhook({ body: PRETTY, signature, secret: SECRET }))).toBe("missing")
    }
  })

  it("refuses a header that is not 128 hex digits before hashing", async () => {
    const good = sign(PRETTY)
    const malformed = [
      good.slice(1),
      `${good}0`,
      `sha512=${good}`,
      ` ${good}`,
      `${good.slice(0, 127)}g`,
      Buffer.from(good, "hex").toString("base64"),
      "0".repeat(64)
    ]
    for (const signature of malformed) {
      expect(await refusal(verifyWebhook({ body: PRETTY, signature, secret: SECRET })), signature).toBe("malformed")
    }
  })

  it("refuses a signature of another body, another secret, or a body one byte off", async () => {
    const other = JSON.stringify(documentedNewMessage({ content: "Hello, is my order on its way!" }))
    for (const [body, signature] of [
      [PRETTY, sign(other)],
      [PRETTY, sign(PRETTY, `${SECRET}x`)],
      [`${PRETTY} `, sign(`${PRETTY}x`)],
      [PRETTY, "0".repeat(128)]
    ] as const) {
      expect(await refusal(verifyWebhook({ body, signature, secret: SECRET }))).toBe("mismatch")
    }
  })

  it("checks the signature before reading the payload: an unsigned bad body is a mismatch", async () => {
    expect(await refusal(verifyWebhook({ body: "not json", signature: sign("other"), secret: SECRET }))).toBe(
      "mismatch"
    )
  })

  it("refuses a signed body that is not JSON, nests too deep, or is not an object", async () => {
    const deep = `${"[".repeat(65)}${"]".repeat(65)}`
    for (const [body, reason] of [
      ["not json", "not-json"],
      ["", "not-json"],
      [deep, "too-deep"],
      ["[1,2]", "not-object"],
      ["null", "not-object"],
      ['"newMessage"', "not-object"]
    ] as const) {
      const error = await rejection(verifyWebhook({ body, signature: sign(body), secret: SECRET }))
      expect(error).toBeInstanceOf(WebhookPayloadError)
      expect((error as WebhookPayloadError).reason).toBe(reason)
    }
  })

  it("rejects with InvalidOptionsError for an empty secret or none", async () => {
    for (const secret of ["", [], Redacted.make(""), [SECRET, ""]]) {
      const error = await rejection(verifyWebhook({ body: PRETTY, signature: sign(PRETTY), secret }))
      expect(error).toBeInstanceOf(InvalidOptionsError)
      expect((error as InvalidOptionsError).option).toBe("secret")
    }
  })

  it("never shows the secret in an error's message, JSON, inspection or stack", async () => {
    const secret = "s3cr3t-do-not-show"
    const errors = [
      await rejection(verifyWebhook({ body: PRETTY, signature: sign(PRETTY, "x"), secret })),
      await rejection(verifyWebhook({ body: PRETTY, signature: "zz", secret })),
      await rejection(verifyWebhook({ body: "[]", signature: sign("[]", secret), secret: Redacted.make(secret) }))
    ]
    for (const error of errors) {
      const shown = [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error).stack]
      for (const text of shown) expect(text).not.toContain(secret)
    }
  })
})

describe("Webhook.verifyWebhook (Effect)", () => {
  it("succeeds with the event and fails with the tagged errors", async () => {
    const event = await Effect.runPromise(
      Webhook.verifyWebhook({ body: PRETTY, signature: sign(PRETTY), secret: SECRET })
    )
    expect(event._tag).toBe("NewMessage")
    const reason = await Effect.runPromise(
      Webhook.verifyWebhook({ body: PRETTY, signature: "nope", secret: SECRET }).pipe(
        Effect.catchTag("WebhookSignatureError", (error) => Effect.succeed(error.reason)),
        Effect.map(String)
      )
    )
    expect(reason).toBe("malformed")
    const payload = await Effect.runPromise(
      Webhook.verifyWebhook({ body: "[]", signature: sign("[]"), secret: SECRET }).pipe(
        Effect.catchTag("WebhookPayloadError", (error) => Effect.succeed(error.reason)),
        Effect.map(String)
      )
    )
    expect(payload).toBe("not-object")
  })

  it("dies with InvalidOptionsError for an empty secret", async () => {
    const exit = await Effect.runPromiseExit(
      Webhook.verifyWebhook({ body: PRETTY, signature: sign(PRETTY), secret: "" })
    )
    expect(Exit.isFailure(exit) && exit.cause._tag).toBe("Die")
  })
})
