/** The campaign and webhook controls under hostile input: malformed, huge, deep, wrong types, fuzz. */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { BUSINESS, CUSTOMER, send, start } from "./helpers.js"
import { startReceiver } from "./webhookReceiver.js"

const SECRET = "whsec_hostile-controls-secret-42"

const control = (url: string, name: string, body?: string, method = body === undefined ? "GET" : "POST") =>
  fetch(`${url}/__emulator/${name}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body })
  })

type Envelope = { data: unknown; message: string; success: boolean }

const refused = async (response: Response, status: number, message: RegExp): Promise<void> => {
  expect(response.status).toBe(status)
  const body = (await response.json()) as Envelope
  expect(body.success).toBe(false)
  expect(body.message).toMatch(message)
}

const NEW_POSTS = ["webhook", "webhook-faults", "deliver-campaigns", "webhook-flush", "inbound"] as const

describe("campaign and webhook controls under hostile input", () => {
  it("malformed JSON, a JSON array, too deep a nesting: 400 before anything runs", async () => {
    const emulator = await start()
    for (const name of NEW_POSTS) {
      await refused(await control(emulator.url, name, "{oops"), 400, /Request body must be a JSON object/)
      await refused(await control(emulator.url, name, "[]"), 400, /Request body must be a JSON object/)
      await refused(
        await control(emulator.url, name, `${'{"a":'.repeat(100)}1${"}".repeat(100)}`),
        400,
        /more than 64 levels deep/
      )
    }
    expect(emulator.webhook()).toBeUndefined()
  })

  it("a body past 64 KiB is a 413, declared or streamed", async () => {
    const emulator = await start()
    const huge = JSON.stringify({ webhook: { url: "http://127.0.0.1/", secret: "x".repeat(70_000) } })
    for (const name of NEW_POSTS) await refused(await control(emulator.url, name, huge), 413, /must not exceed 65536/)
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(8 * 1024)))
        controller.close()
      }
    })
    const response = await fetch(`${emulator.url}/__emulator/webhook`, {
      method: "POST",
      body: streamed,
      duplex: "half"
    } as RequestInit)
    await refused(response, 413, /must not exceed 65536/)
  })

  it("wrong types get a 400 that names the field; wrong methods a 405; nothing changes", async () => {
    const emulator = await start()
    const cases: Array<[string, unknown, RegExp]> = [
      ["webhook", {}, /webhook expects/],
      ["webhook", { webhook: "http://127.0.0.1/" }, /webhook must be an object/],
      ["webhook", { webhook: { url: "http://127.0.0.1/" } }, /webhook.secret must be/],
      ["webhook", { webhook: { url: 42, secret: SECRET } }, /webhook.url must be an http: or https: URL/],
      ["webhook", { webhook: { url: "http://169.254.169.254/latest", secret: SECRET } }, /must be on loopback/],
      ["webhook", { webhook: { url: "http://127.0.0.1/", secret: SECRET, timeoutMs: 1e9 } }, /timeoutMs/],
      [
        "webhook",
        { webhook: { url: "http://127.0.0.1/", secret: SECRET, allowRemote: 1 } },
        /allowRemote must be a boolean/
      ],
      ["webhook-faults", {}, /webhook fault kind must be one of/],
      ["webhook-faults", { kind: "duplicate", copies: 11 }, /copies must be a whole number from 2 to 10/],
      ["webhook-faults", { kind: "delay" }, /delay: ms is required/],
      ["webhook-faults", { kind: "delay", ms: 60_001 }, /delay: ms must be a whole number from 0 to 60000/],
      ["webhook-faults", { kind: "oversize", bytes: 17 * 1024 * 1024 }, /oversize: bytes/],
      ["webhook-faults", { kind: "bad-signature", signature: "MISMATCH" }, /signature must be one of/],
      ["webhook-faults", { kind: "reorder", ms: 1 }, /unknown property "ms" for a reorder webhook fault/],
      ["webhook-faults", { kind: "reorder", times: 0 }, /times must be a whole number/],
      ["inbound", { from: CUSTOMER, to: BUSINESS, text: "" }, /text must be a non-empty string/],
      ["inbound", { from: CUSTOMER, to: BUSINESS, text: "x".repeat(4097) }, /at most 4096 characters/],
      ["inbound", { from: CUSTOMER, to: BUSINESS, name: ["Ada"] }, /name must be a non-empty string/],
      ["inbound", { from: CUSTOMER, to: BUSINESS, webhookFault: { kind: "reorder" } }, /needs a webhook receiver/],
      ["inbound", { from: CUSTOMER, to: BUSINESS, webhookFault: "reorder" }, /webhook fault must be an object/]
    ]
    for (const [name, body, message] of cases) {
      await refused(await control(emulator.url, name, JSON.stringify(body)), 400, message)
    }
    for (const [name, method] of [
      ["campaigns", "POST"],
      ["deliver-campaigns", "GET"],
      ["webhook-faults", "GET"],
      ["webhook-flush", "GET"],
      ["webhook-deliveries", "POST"]
    ] as const) {
      const response = await control(emulator.url, name, method === "POST" ? "{}" : undefined, method)
      expect(response.status, `${method} ${name}`).toBe(405)
    }
    expect(emulator.webhook()).toBeUndefined()
    expect(emulator.campaigns()).toEqual([])
    // No refused inbound was recorded: the window is still closed.
    expect((await send(emulator)).status).toBe(422)
  })

  it("the secret given over HTTP is never answered back, on success or on refusal", async () => {
    const receiver = await startReceiver(SECRET)
    try {
      const emulator = await start()
      const answers = [
        await control(emulator.url, "webhook", JSON.stringify({ webhook: { url: receiver.url, secret: SECRET } })),
        await control(emulator.url, "webhook", JSON.stringify({ webhook: { url: "http://8.8.8.8/", secret: SECRET } })),
        await control(
          emulator.url,
          "webhook",
          JSON.stringify({ webhook: { url: receiver.url, secret: SECRET, x: 1 } })
        ),
        await control(emulator.url, "webhook"),
        await control(emulator.url, "info")
      ]
      for (const answer of answers) expect(await answer.text()).not.toContain(SECRET)
      expect(emulator.webhook()?.url).toBe(receiver.url)
    } finally {
      await receiver.close()
    }
  })

  it("fuzz: any JSON to the new controls gets an envelope (200, 400 or 409), never a 500; a refusal changes nothing", async () => {
    const receiver = await startReceiver(SECRET)
    try {
      const emulator = await start({ webhook: { url: receiver.url, secret: SECRET } })
      const json = fc.jsonValue({ maxDepth: 3 })
      const near = fc.oneof(
        fc.record(
          { webhook: fc.oneof(fc.record({ url: fc.oneof(fc.constant(receiver.url), json), secret: json }), json) },
          { requiredKeys: [] }
        ),
        fc.record(
          {
            kind: fc.oneof(
              fc.constantFrom(
                "duplicate",
                "delay",
                "reorder",
                "bad-signature",
                "reserialized",
                "non-ascii",
                "oversize"
              ),
              json
            ),
            times: json,
            copies: json,
            ms: fc.oneof(fc.integer({ min: -1, max: 20 }), json),
            bytes: json,
            signature: json
          },
          { requiredKeys: ["kind"] }
        ),
        fc.record(
          {
            from: fc.oneof(fc.constant(CUSTOMER), json),
            to: fc.oneof(fc.constant(BUSINESS), json),
            text: json,
            name: json,
            webhookFault: json
          },
          { requiredKeys: [] }
        )
      )
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("webhook", "webhook-faults", "inbound"),
          fc.oneof(near, json),
          async (name, body) => {
            const before = emulator.webhook()
            const response = await control(emulator.url, name, JSON.stringify(body))
            expect([200, 400, 409]).toContain(response.status)
            const envelope = (await response.json()) as Envelope
            expect(typeof envelope.message).toBe("string")
            expect(envelope.success).toBe(response.status === 200)
            if (response.status !== 200) expect(emulator.webhook()).toEqual(before)
            if (emulator.webhook() === undefined) emulator.configureWebhook({ url: receiver.url, secret: SECRET })
          }
        ),
        { numRuns: 200 }
      )
      // Fuzzed delay faults may hold deliveries for up to a minute: reset stops them.
      emulator.reset()
      expect(await emulator.flushWebhooks()).toEqual([])
    } finally {
      await receiver.close()
    }
  })
})
