/**
 * `webhookHandler` end to end over real HTTP on 127.0.0.1 (node:http, the peer's address passed as
 * `Deno.serve` passes it): every answer, repeats, retries after a failure, the window feed, the
 * IP allow-list with and without a trusted proxy, and unusable options.
 */
import { request as httpRequest } from "node:http"
import { inspect } from "node:util"
import * as Effect from "effect/Effect"
import { afterEach, describe, expect, it } from "vitest"
import * as IdempotencyStore from "../src/IdempotencyStore.js"
import {
  InvalidOptionsError,
  ONEROUTE_WEBHOOK_IPS,
  type WebhookEvent,
  type WebhookHandlerOptions,
  type WebhookWindows,
  webhookHandler
} from "../src/index.js"
import { documentedNewMessage, type Host, host, reserialised, SECRET, sign } from "./webhookSupport.js"

const BODY = JSON.stringify(documentedNewMessage())

const hosts: Array<Host> = []
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((each) => each.close()))
})

/** Serves a handler whose events land in `events`. */
const serve = async (options: Partial<WebhookHandlerOptions> = {}) => {
  const events: Array<WebhookEvent> = []
  const errors: Array<string> = []
  const served = await host(
    webhookHandler({
      secret: SECRET,
      onEvent: (event) => void events.push(event),
      onError: (_error, during) => void errors.push(during),
      ...options
    })
  )
  hosts.push(served)
  return { url: served.url, events, errors }
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } })

const signed = (body: string, signature = sign(body)) => ({ "x-oneroute-signature": signature })

/** Records what the tracker is told. */
const recordingWindows = (fail = false) => {
  const records: Array<Parameters<WebhookWindows["recordInbound"]>[0]> = []
  const windows: WebhookWindows = {
    recordInbound: async (record) => {
      records.push(record)
      if (fail) throw new Error("tracker down")
    }
  }
  return { windows, records }
}

describe("webhookHandler over HTTP", () => {
  it("runs onEvent for a signed delivery and answers 200", async () => {
    const { url, events } = await serve()
    const response = await post(url, BODY, signed(BODY))
    expect(response.status).toBe(200)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ _tag: "NewMessage", direction: "inbound", conversationId: "conv-123" })
  })

  it("answers 200 to a repeat without running onEvent again, whichever recipe signed it", async () => {
    const { url, events } = await serve()
    const pretty = JSON.stringify(JSON.parse(BODY), null, 2)
    expect((await post(url, BODY, signed(BODY))).status).toBe(200)
    expect((await post(url, BODY, signed(BODY))).status).toBe(200)
    expect((await post(url, pretty, signed(pretty, sign(reserialised(pretty))))).status).toBe(200)
    expect(events).toHaveLength(1)
    const other = JSON.stringify(documentedNewMessage({ content: "second message" }))
    expect((await post(url, other, signed(other))).status).toBe(200)
    expect(events).toHaveLength(2)
  })

  it("answers 500 when onEvent throws, and runs it again on OneRoute's retry", async () => {
    let calls = 0
    const { url, errors } = await serve({
      onEvent: async () => {
        calls++
        if (calls === 1) throw new Error("database down")
      }
    })
    expect((await post(url, BODY, signed(BODY))).status).toBe(500)
    expect(errors).toEqual(["onEvent"])
    expect((await post(url, BODY, signed(BODY))).status).toBe(200)
    expect((await post(url, BODY, signed(BODY))).status).toBe(200)
    expect(calls).toBe(2)
  })

  it("answers 401 to a bad signature and 400 to a signed body that is not a JSON object", async () => {
    const { url, events } = await serve()
    expect((await post(url, BODY)).status).toBe(401)
    expect((await post(url, BODY, signed(BODY, "f".repeat(127)))).status).toBe(401)
    expect((await post(url, BODY, signed(`${BODY} `))).status).toBe(401)
    expect((await post(url, "[1]", signed("[1]"))).status).toBe(400)
    expect((await post(url, "{", signed("{"))).status).toBe(400)
    expect(events).toHaveLength(0)
  })

  it("answers 405 to anything but POST", async () => {
    const { url } = await serve()
    for (const method of ["GET", "PUT", "DELETE"]) {
      const response = await fetch(url, { method })
      expect(response.status).toBe(405)
      expect(response.headers.get("allow")).toBe("POST")
    }
  })

  it("answers 413 to a body over the limit, declared or streamed, and never runs onEvent", async () => {
    const { url, events } = await serve({ maxBodyBytes: 1024 })
    const big = JSON.stringify({ ...documentedNewMessage({ content: "x".repeat(2000) }) })
    expect((await post(url, big, signed(big))).status).toBe(413)
    // Chunked, without a Content-Length: refused once the count passes the limit.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: "POST", headers: signed(big) }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on("error", reject)
      for (let index = 0; index < big.length; index += 100) req.write(big.slice(index, index + 100))
      req.end()
    })
    expect(streamed).toBe(413)
    expect(events).toHaveLength(0)
  })

  it("feeds the window tracker with the event's time, clamped to the receipt", async () => {
    const { windows, records } = recordingWindows()
    const { url } = await serve({ windows })
    const past = JSON.stringify(documentedNewMessage({ lastMessageAt: "2026-01-02T03:04:05.000Z" }))
    const future = JSON.stringify(documentedNewMessage({ content: "later", lastMessageAt: "2999-01-01T00:00:00.000Z" }))
    const before = Date.now()
    expect((await post(url, past, signed(past))).status).toBe(200)
    expect((await post(url, future, signed(future))).status).toBe(200)
    expect(records[0]).toEqual({ conversationId: "conv-123", at: new Date("2026-01-02T03:04:05.000Z") })
    expect(records[1]?.at.getTime()).toBeGreaterThanOrEqual(before)
    expect(records[1]?.at.getTime()).toBeLessThanOrEqual(Date.now())
  })

  it("clamps to its own clock when given one (a tracker on another clock, an emulator a day ahead)", async () => {
    const { windows, records } = recordingWindows()
    const clock = Date.parse("2999-06-01T00:00:00.000Z")
    const { url, events } = await serve({ windows, now: () => clock })
    const future = JSON.stringify(documentedNewMessage({ lastMessageAt: "2999-07-01T00:00:00.000Z" }))
    expect((await post(url, future, signed(future))).status).toBe(200)
    expect(events[0]?.receivedAt.getTime()).toBe(clock)
    expect(records[0]?.at.getTime()).toBe(clock)
  })

  it("tells the tracker nothing of outbound messages, other events, or an event without a time", async () => {
    const { windows, records } = recordingWindows()
    const { url, events } = await serve({ windows })
    const payload = documentedNewMessage()
    const outbound = JSON.stringify({
      ...payload,
      message: { ...payload.message, sender: { ...payload.message.sender, authUser: true } }
    })
    const timeless = JSON.stringify({
      event: "newMessage",
      message: { conversation_id: "c", sender: { authUser: false } }
    })
    const report = JSON.stringify({ event: "smsDeliveryReport", conversation: { id: "s" } })
    for (const body of [outbound, timeless, report]) expect((await post(url, body, signed(body))).status).toBe(200)
    expect(events.map((event) => event._tag)).toEqual(["NewMessage", "NewMessage", "SmsDeliveryReport"])
    expect(records).toEqual([])
  })

  it("succeeds when the window tracker fails: the window stays unknown, onError is told", async () => {
    const { windows, records } = recordingWindows(true)
    const { url, events, errors } = await serve({ windows })
    expect((await post(url, BODY, signed(BODY))).status).toBe(200)
    expect(records).toHaveLength(1)
    expect(events).toHaveLength(1)
    expect(errors).toEqual(["windows"])
  })

  it("answers 503 when the delivery store fails or is full, without running onEvent", async () => {
    const failing: IdempotencyStore.IdempotencyStore = {
      reserve: () => Effect.fail(new IdempotencyStore.IdempotencyStoreError({ operation: "reserve", cause: "down" })),
      complete: () => Effect.void,
      release: () => Effect.void
    }
    const full = IdempotencyStore.makeMemory({ maxBytes: 1 })
    for (const deliveries of [failing, full]) {
      const { url, events } = await serve({ deliveries })
      const response = await post(url, BODY, signed(BODY))
      expect(response.status).toBe(503)
      expect(response.headers.get("retry-after")).toBe("5")
      expect(events).toHaveLength(0)
    }
  })

  it("answers 503 to a repeat that arrives while the first delivery is being handled", async () => {
    let started = false
    let finish = () => {}
    const { url } = await serve({
      onEvent: () =>
        new Promise<void>((resolve) => {
          started = true
          finish = resolve
        })
    })
    const first = post(url, BODY, signed(BODY))
    await expect.poll(() => started, { timeout: 30_000 }).toBe(true)
    expect((await post(url, BODY, signed(BODY))).status).toBe(503)
    finish()
    expect((await first).status).toBe(200)
  })
})

describe("webhookHandler's allow-list", () => {
  it("answers 403 to a peer outside allowedIps and accepts one inside (IPv4-mapped forms too)", async () => {
    expect((await post((await serve({ allowedIps: ONEROUTE_WEBHOOK_IPS })).url, BODY, signed(BODY))).status).toBe(403)
    const local = await serve({ allowedIps: ["::ffff:127.0.0.1"] })
    expect((await post(local.url, BODY, signed(BODY))).status).toBe(200)
  })

  it("ignores forwarded headers unless trustProxy says so", async () => {
    const { url } = await serve({ allowedIps: ONEROUTE_WEBHOOK_IPS })
    for (const header of [{ "x-forwarded-for": "174.138.104.128" }, { forwarded: "for=174.138.104.128" }]) {
      expect((await post(url, BODY, { ...signed(BODY), ...header })).status).toBe(403)
    }
  })

  it("reads the address the trusted proxy added, not what the client claimed before it", async () => {
    const behindOne = await serve({ allowedIps: ONEROUTE_WEBHOOK_IPS, trustProxy: true })
    const allowed = { ...signed(BODY), "x-forwarded-for": "10.0.0.9, 174.138.104.128" }
    expect((await post(behindOne.url, BODY, allowed)).status).toBe(200)
    const spoofed = { ...signed(BODY), "x-forwarded-for": "174.138.104.128, 203.0.113.7" }
    expect((await post(behindOne.url, BODY, spoofed)).status).toBe(403)
    expect((await post(behindOne.url, BODY, signed(BODY))).status).toBe(403)

    const behindTwo = await serve({ allowedIps: ["2001:db8::17"], trustProxy: { header: "forwarded", hops: 2 } })
    const forwarded = 'for=198.51.100.1, for="[2001:DB8:0:0::17]:4711";proto=https, for=10.1.1.1'
    expect((await post(behindTwo.url, BODY, { ...signed(BODY), forwarded })).status).toBe(200)
    expect((await post(behindTwo.url, BODY, { ...signed(BODY), forwarded: "for=10.1.1.1" })).status).toBe(403)
  })
})

describe("webhookHandler's options", () => {
  const onEvent = () => {}
  it.each([
    [{ secret: "", onEvent }, "secret"],
    [{ secret: [], onEvent }, "secret"],
    [{ secret: SECRET }, "onEvent"],
    [{ secret: SECRET, onEvent, maxBodyBytes: 0 }, "maxBodyBytes"],
    [{ secret: SECRET, onEvent, maxBodyBytes: 1.5 }, "maxBodyBytes"],
    [{ secret: SECRET, onEvent, allowedIps: [] }, "allowedIps"],
    [{ secret: SECRET, onEvent, allowedIps: ["174.138.104.256"] }, "allowedIps"],
    [{ secret: SECRET, onEvent, allowedIps: ["010.1.1.1"] }, "allowedIps"],
    [{ secret: SECRET, onEvent, trustProxy: { header: "x-real-ip" } }, "trustProxy"],
    [{ secret: SECRET, onEvent, trustProxy: { hops: 0 } }, "trustProxy.hops"],
    [{ secret: SECRET, onEvent, windows: {} }, "windows"],
    [{ secret: SECRET, onEvent, now: 5 }, "now"],
    [{ secret: SECRET, onEvent, deliveries: { reserve: () => Effect.void } }, "deliveries"]
  ])("refuses %o (%s)", (options, option) => {
    let error: unknown
    try {
      webhookHandler(options as unknown as WebhookHandlerOptions)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InvalidOptionsError)
    expect((error as InvalidOptionsError).option).toBe(option)
  })

  it("shows no secret when the handler or its errors are inspected", () => {
    const secret = "s3cr3t-handler-secret"
    const handler = webhookHandler({ secret, onEvent })
    expect(inspect(handler, { depth: 10, showHidden: true })).not.toContain(secret)
    expect(String(handler)).not.toContain(secret)
  })
})
