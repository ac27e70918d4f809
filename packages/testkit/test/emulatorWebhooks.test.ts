/** The emulator's signed webhooks, received over real HTTP and verified with node:crypto. */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { inspect } from "node:util"
import * as Redacted from "effect/Redacted"
import { afterEach, describe, expect, it } from "vitest"
import { connectEmulator, type Emulator, EmulatorLimitError, type WebhookOptions } from "../src/index.js"
import { createClock } from "../src/internal/emulator/clock.js"
import { createWebhooks, NON_ASCII_TEXT } from "../src/internal/emulator/webhooks.js"
import { BUSINESS, CUSTOMER, send, start } from "./helpers.js"
import { type Receiver, startReceiver } from "./webhookReceiver.js"

const SECRET = "whsec_emulator-test-secret-0123456789"

const receivers = new Set<Receiver>()
afterEach(async () => {
  await Promise.all([...receivers].map((receiver) => receiver.close()))
  receivers.clear()
})

/** A receiver and an emulator posting to it. */
const setup = async (webhook: Partial<WebhookOptions> = {}): Promise<{ emulator: Emulator; receiver: Receiver }> => {
  const receiver = await startReceiver(SECRET)
  receivers.add(receiver)
  const emulator = await start({ webhook: { url: receiver.url, secret: SECRET, ...webhook } })
  return { emulator, receiver }
}

type NewMessage = {
  event: string
  message: { content: string; conversation_id: string; externalId: string; sender: { authUser: boolean } }
  conversation: { id: string; lastMessageAt: string }
  emulator?: { customer: string; business: string }
}

/** The parsed body of the `index`th request the receiver got. */
const bodyOf = (receiver: Receiver, index: number): NewMessage => {
  const received = receiver.received[index]
  if (received === undefined) throw new Error(`the receiver got no request #${index}`)
  return received.json as NewMessage
}

const content = (receiver: Receiver) => receiver.received.map((r) => (r.json as NewMessage).message.content)

describe("signed webhooks", () => {
  it("posts the documented newMessage, signed over its exact bytes, with the session send's conversation id", async () => {
    const { emulator, receiver } = await setup()
    const at = new Date("2030-01-02T03:04:05.000Z")
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, at: new Date(), text: "Where is my order?", name: "Ada" })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, at })
    const deliveries = await emulator.flushWebhooks()
    expect(receiver.received).toHaveLength(2)
    const [first, second] = receiver.received
    expect(first?.headers["content-type"]).toBe("application/json")
    expect(first?.signature).toMatch(/^[0-9a-f]{128}$/)
    expect(first?.rawVerifies).toBe(true)
    expect(first?.recipeVerifies).toBe(true)
    const body = first?.json as NewMessage
    const conversationId = body.conversation.id
    expect(first?.raw.toString()).toBe(
      JSON.stringify({
        event: "newMessage",
        message: {
          sender: { name: "Ada", authUser: false, lastActivity: body.conversation.lastMessageAt },
          externalId: body.message.externalId,
          content: "Where is my order?",
          contentType: "TEXT",
          imageUrl: null,
          videoUrl: null,
          documentUrl: null,
          audioUrl: null,
          quoted_message_id: null,
          conversation_id: conversationId
        },
        conversation: {
          id: conversationId,
          subject: null,
          agent: null,
          customer: { name: "Ada", email: null },
          lastMessageAt: body.conversation.lastMessageAt
        }
      })
    )
    expect(bodyOf(receiver, 1).conversation.lastMessageAt).toBe(at.toISOString())
    expect(bodyOf(receiver, 1).message.content).toBe("Hello")
    expect(bodyOf(receiver, 1).emulator).toBeUndefined()
    const sent = (await (await send(emulator)).json()) as { data: { conversation_id: string } }
    expect(sent.data.conversation_id).toBe(conversationId)
    expect(bodyOf(receiver, 1).conversation.id).toBe(conversationId)
    expect(deliveries).toEqual([
      expect.objectContaining({ event: "newMessage", conversationId, copy: 1, attempt: 1, status: 200 }),
      expect.objectContaining({ conversationId, copy: 1, attempt: 1, status: 200, bytes: second?.raw.byteLength })
    ])
    expect(deliveries[0]?.fault).toBeUndefined()
    expect(`${JSON.stringify(deliveries)} ${inspect(deliveries, { depth: 5 })}`).not.toContain(SECRET)
  })

  it("adds the emulator's own numbers only with includeNumbers", async () => {
    const { emulator, receiver } = await setup({ includeNumbers: true })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    await emulator.flushWebhooks()
    expect(bodyOf(receiver, 0).emulator).toEqual({ customer: CUSTOMER, business: BUSINESS })
    expect(receiver.received[0]?.rawVerifies).toBe(true)
  })

  it("duplicate: the same bytes and signature twice (or `copies` times)", async () => {
    const { emulator, receiver } = await setup()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "duplicate" } })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "duplicate", copies: 3 } })
    const deliveries = await emulator.flushWebhooks()
    expect(receiver.received).toHaveLength(5)
    expect(receiver.received[1]?.raw.equals(receiver.received[0]?.raw ?? Buffer.alloc(0))).toBe(true)
    expect(receiver.received[1]?.signature).toBe(receiver.received[0]?.signature)
    expect(receiver.received.every((r) => r.rawVerifies)).toBe(true)
    expect(deliveries.map((d) => [d.copy, d.fault])).toEqual([
      [1, "duplicate"],
      [2, "duplicate"],
      [1, "duplicate"],
      [2, "duplicate"],
      [3, "duplicate"]
    ])
    expect(new Set(deliveries.slice(0, 2).map((d) => d.eventId)).size).toBe(1)
  })

  it("reorder: the held event arrives after the next one; alone, on flushWebhooks()", async () => {
    const { emulator, receiver } = await setup()
    emulator.injectWebhookFault({ kind: "reorder" })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, text: "first" })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, text: "second" })
    await emulator.flushWebhooks()
    expect(content(receiver)).toEqual(["second", "first"])
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, text: "held", webhookFault: { kind: "reorder" } })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(content(receiver)).toEqual(["second", "first"])
    await emulator.flushWebhooks()
    expect(content(receiver)).toEqual(["second", "first", "held"])
  })

  it("delay: the event is sent at least `ms` later (real time)", async () => {
    const { emulator, receiver } = await setup()
    const before = Date.now()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "delay", ms: 300 } })
    expect(receiver.received).toHaveLength(0)
    const [delivery] = await emulator.flushWebhooks()
    expect(Date.now() - before).toBeGreaterThanOrEqual(300)
    expect(delivery).toMatchObject({ fault: "delay", status: 200 })
    expect(receiver.received[0]?.rawVerifies).toBe(true)
  })

  it("bad-signature: another key's HMAC, no header, or a cut signature; nothing verifies", async () => {
    const { emulator, receiver } = await setup()
    for (const signature of ["mismatch", "missing", "malformed"] as const) {
      emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "bad-signature", signature } })
    }
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "bad-signature" } })
    await emulator.flushWebhooks()
    const [mismatch, missing, malformed, byDefault] = receiver.received
    expect(mismatch?.signature).toMatch(/^[0-9a-f]{128}$/)
    expect(missing?.signature).toBeUndefined()
    expect(missing?.headers["x-oneroute-signature"]).toBeUndefined()
    expect(malformed?.signature).toMatch(/^[0-9a-f]{64}$/)
    expect(byDefault?.signature).toMatch(/^[0-9a-f]{128}$/)
    for (const received of receiver.received) {
      expect(received.rawVerifies).toBe(false)
      expect(received.recipeVerifies).toBe(false)
    }
  })

  it("reserialized: other bytes, so only OneRoute's JSON.stringify(JSON.parse(raw)) recipe verifies", async () => {
    const { emulator, receiver } = await setup()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, text: "é/ü 😀", webhookFault: { kind: "reserialized" } })
    await emulator.flushWebhooks()
    const [received] = receiver.received
    expect(received?.raw.toString()).not.toBe(JSON.stringify(received?.json))
    expect(received?.raw.toString()).toMatch(/^\{\n {2}"event": "newMessage"/)
    expect(received?.raw.toString()).toContain("\\u00e9\\/\\u00fc \\ud83d\\ude00")
    expect([...(received?.raw ?? [])].every((byte) => byte < 0x80)).toBe(true)
    expect(bodyOf(receiver, 0).message.content).toBe("é/ü 😀")
    expect(received?.rawVerifies).toBe(false)
    expect(received?.recipeVerifies).toBe(true)
  })

  it("non-ascii: a text full of non-ASCII characters, signed over its UTF-8 bytes", async () => {
    const { emulator, receiver } = await setup()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "non-ascii" } })
    await emulator.flushWebhooks()
    const [received] = receiver.received
    expect(bodyOf(receiver, 0).message.content).toBe(NON_ASCII_TEXT)
    expect([...(received?.raw ?? [])].some((byte) => byte >= 0x80)).toBe(true)
    expect(received?.rawVerifies).toBe(true)
    expect(received?.recipeVerifies).toBe(true)
  })

  it("oversize: a correctly signed body past 2 MiB; a refusal (413) is retried up to maxAttempts", async () => {
    const { emulator, receiver } = await setup({ maxAttempts: 2 })
    receiver.answers.push(413, 413)
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "oversize" } })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "oversize", bytes: 70_000 } })
    const deliveries = await emulator.flushWebhooks()
    expect(receiver.received[0]?.raw.byteLength).toBeGreaterThanOrEqual(2 * 1024 * 1024)
    expect(receiver.received[0]?.raw.byteLength).toBeLessThan(2 * 1024 * 1024 + 100)
    expect(receiver.received[0]?.rawVerifies).toBe(true)
    expect(receiver.received[2]?.raw.byteLength).toBeGreaterThanOrEqual(70_000)
    expect(deliveries.map((d) => [d.attempt, d.status, d.fault])).toEqual([
      [1, 413, "oversize"],
      [2, 413, "oversize"],
      [1, 200, "oversize"]
    ])
  })

  it("retries a failed attempt (5xx, no answer in time, refused connection) a bounded number of times", async () => {
    // The hanging attempt costs the whole timeout; the others must answer within it, on a busy machine too.
    const { emulator, receiver } = await setup({ timeoutMs: 5_000, maxAttempts: 3 })
    receiver.answers.push(500, "hang", 503, 500, 500)
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, text: "retried" })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, text: "given up" })
    const deliveries = await emulator.flushWebhooks()
    expect(deliveries.map((d) => [d.attempt, d.status ?? d.error])).toEqual([
      [1, 500],
      [2, "no answer within 5000 ms"],
      [3, 503],
      [1, 500],
      [2, 500],
      [3, 200]
    ])
    await receiver.close()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    const refused = (await emulator.flushWebhooks()).slice(6)
    expect(refused).toHaveLength(3)
    for (const delivery of refused) {
      expect(delivery.status).toBeUndefined()
      expect(delivery.error).toEqual(expect.any(String))
    }
  })

  it("never follows a redirect: a 3xx is a failed attempt and nothing reaches the Location", async () => {
    let reached = 0
    const elsewhere = createServer((_req, res) => {
      reached += 1
      res.end()
    })
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve))
    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { location: `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/` })
      res.end()
    })
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve))
    try {
      const emulator = await start({
        webhook: {
          url: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`,
          secret: SECRET,
          maxAttempts: 1
        }
      })
      emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
      expect((await emulator.flushWebhooks())[0]?.status).toBe(307)
      expect(reached).toBe(0)
    } finally {
      for (const server of [elsewhere, redirecting]) {
        server.closeAllConnections()
        await new Promise((resolve) => server.close(resolve))
      }
    }
  })

  it("posts to loopback only unless allowRemote; refuses bad receivers with TypeError and never shows the secret", async () => {
    const emulator = await start()
    const refused: Array<[unknown, RegExp]> = [
      [{ url: "http://example.com/hook", secret: SECRET }, /must be on loopback/],
      [{ url: "http://10.0.0.1/hook", secret: SECRET }, /must be on loopback/],
      [{ url: "http://127.0.0.1.nip.io/hook", secret: SECRET }, /must be on loopback/],
      [{ url: "ftp://127.0.0.1/hook", secret: SECRET }, /http: or https: URL/],
      [{ url: `http://user:${SECRET}@127.0.0.1/`, secret: SECRET }, /without credentials/],
      [{ url: "not a url", secret: SECRET }, /http: or https: URL/],
      [{ url: "http://127.0.0.1/", secret: "" }, /webhook.secret must be/],
      [{ url: "http://127.0.0.1/", secret: 42 }, /webhook.secret must be/],
      [{ url: "http://127.0.0.1/", secret: SECRET, timeoutMs: 0 }, /timeoutMs must be a whole number from 1 to 60000/],
      [
        { url: "http://127.0.0.1/", secret: SECRET, maxAttempts: 11 },
        /maxAttempts must be a whole number from 1 to 10/
      ],
      [{ url: "http://127.0.0.1/", secret: SECRET, includeNumbers: "yes" }, /includeNumbers must be a boolean/],
      [{ url: "http://127.0.0.1/", secret: SECRET, retries: 3 }, /unknown property "retries"/],
      [Redacted.make(SECRET), /webhook must be an object/]
    ]
    for (const [input, message] of refused) {
      const error = (() => {
        try {
          emulator.configureWebhook(input as WebhookOptions)
        } catch (caught) {
          return caught as Error
        }
      })()
      expect(error).toBeInstanceOf(TypeError)
      expect(error?.message).toMatch(message)
      expect(`${error?.message} ${inspect(error)}`).not.toContain(SECRET)
    }
    expect(emulator.webhook()).toBeUndefined()
    expect(() => emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "reorder" } })).toThrow(
      /webhookFault needs a webhook receiver/
    )
    emulator.configureWebhook({
      url: "https://oneroute-hooks.example/hook",
      secret: Redacted.make(SECRET),
      allowRemote: true
    })
    const config = emulator.webhook()
    expect(config).toEqual({
      url: "https://oneroute-hooks.example/hook",
      allowRemote: true,
      includeNumbers: false,
      timeoutMs: 5_000,
      maxAttempts: 3
    })
    expect(`${JSON.stringify(config)} ${inspect(config)} ${inspect(emulator, { depth: 5 })}`).not.toContain(SECRET)
    const info = await (await fetch(`${emulator.url}/__emulator/webhook`)).text()
    expect(info).not.toContain(SECRET)
    emulator.configureWebhook(null)
    expect(emulator.webhook()).toBeUndefined()
  })

  it("reset() stops deliveries in flight, forgets them and the queued faults, and keeps the receiver", async () => {
    const { emulator, receiver } = await setup({ timeoutMs: 60_000 })
    receiver.answers.push("hang")
    emulator.injectWebhookFault({ kind: "duplicate", times: 5 })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    emulator.reset()
    expect(await emulator.flushWebhooks()).toEqual([])
    expect(emulator.webhook()?.url).toBe(receiver.url)
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, text: "after reset" })
    const deliveries = await emulator.flushWebhooks()
    expect(deliveries).toEqual([expect.objectContaining({ copy: 1, attempt: 1, status: 200 })])
    expect(deliveries[0]?.fault).toBeUndefined()
  })

  it("bounds the webhook fault queue at 100 (EmulatorLimitError; 409 over HTTP)", async () => {
    const { emulator } = await setup()
    for (let i = 0; i < 100; i++) emulator.injectWebhookFault({ kind: "non-ascii" })
    expect(() => emulator.injectWebhookFault({ kind: "non-ascii" })).toThrow(EmulatorLimitError)
    const control = await connectEmulator(emulator.url)
    const error = await control.injectWebhookFault({ kind: "non-ascii" }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(EmulatorLimitError)
    expect(error).toMatchObject({ _tag: "EmulatorLimitError", limit: "webhook-faults", max: 100 })
  })

  it("over the HTTP controls: configure, queue faults, inbound with a fault, flush and list the deliveries", async () => {
    const receiver = await startReceiver(SECRET)
    receivers.add(receiver)
    const emulator = await start()
    const control = await connectEmulator(emulator.url)
    expect(await control.webhook()).toBeUndefined()
    await control.configureWebhook({ url: receiver.url, secret: Redacted.make(SECRET), includeNumbers: true })
    expect(await control.webhook()).toMatchObject({ url: receiver.url, includeNumbers: true })
    await control.injectWebhookFault({ kind: "reorder" })
    await control.receiveInbound({ from: CUSTOMER, to: BUSINESS, text: "one" })
    await control.receiveInbound({ from: CUSTOMER, to: BUSINESS, text: "two", webhookFault: { kind: "duplicate" } })
    const deliveries = await control.flushWebhooks()
    expect(content(receiver)).toEqual(["two", "two", "one"])
    expect(deliveries.map((d) => d.fault)).toEqual(["duplicate", "duplicate", "reorder"])
    expect(deliveries[0]?.at).toBeInstanceOf(Date)
    expect(await control.webhookDeliveries()).toEqual(deliveries)
    expect(receiver.received.every((r) => r.rawVerifies)).toBe(true)
    await control.configureWebhook(null)
    expect(await control.webhook()).toBeUndefined()
  })
})

describe("webhook delivery bound", () => {
  it("refuses a new event once the attempts remembered reach the bound (EmulatorLimitError), until reset", async () => {
    const receiver = await startReceiver(SECRET)
    receivers.add(receiver)
    const webhooks = createWebhooks({
      clock: createClock(),
      initial: { url: receiver.url, secret: SECRET },
      maxDeliveries: 3
    })
    try {
      const event = {
        customer: CUSTOMER,
        business: BUSINESS,
        conversationId: "c1",
        name: "Ada",
        text: "Hi",
        at: new Date()
      }
      for (let i = 0; i < 3; i++) {
        webhooks.checkRoom()
        webhooks.announce(event, undefined)
      }
      expect(await webhooks.flush()).toHaveLength(3)
      const error = (() => {
        try {
          webhooks.checkRoom()
        } catch (caught) {
          return caught
        }
      })()
      expect(error).toBeInstanceOf(EmulatorLimitError)
      expect(error).toMatchObject({ _tag: "EmulatorLimitError", limit: "webhook-deliveries", max: 3 })
      webhooks.reset()
      webhooks.checkRoom()
    } finally {
      webhooks.shutdown()
    }
  })

  it("a refused receiveInbound records nothing and posts nothing", async () => {
    const { emulator, receiver } = await setup()
    const refusals: Array<Parameters<Emulator["receiveInbound"]>[0]> = [
      { from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "delay", ms: -1 } },
      { from: CUSTOMER, to: BUSINESS, text: "" },
      { from: CUSTOMER, to: "2348000000009" }
    ]
    for (const input of refusals) expect(() => emulator.receiveInbound(input)).toThrow(TypeError)
    expect(await emulator.flushWebhooks()).toEqual([])
    expect(receiver.received).toHaveLength(0)
    expect((await send(emulator)).status).toBe(422)
  })
})
