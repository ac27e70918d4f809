import { describe, expect, it } from "vitest"
import { BUSINESS, CUSTOMER, envelope, SEND_PATH, send, start, startOpen, validBody } from "./helpers.js"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe("documented 200", () => {
  it("returns exactly the documented shape and records the message", async () => {
    const now = new Date("2030-01-02T03:04:05.000Z")
    const startedAt = Date.now()
    const emulator = await start({ now })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    const response = await send(emulator, validBody("Your order has shipped"))
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toMatch(/^application\/json/)
    const body = (await response.json()) as { data: Record<string, unknown> }
    expect(Object.keys(body)).toEqual(["data", "message", "success"])
    expect(Object.keys(body.data)).toEqual([
      "id",
      "content",
      "contentType",
      "sender",
      "externalId",
      "conversation_id",
      "updatedAt",
      "createdAt",
      "subject",
      "imageUrl",
      "videoUrl",
      "documentUrl",
      "audioUrl",
      "quoted_message_id"
    ])
    expect(body).toEqual({
      data: {
        id: expect.stringMatching(UUID),
        content: "Your order has shipped",
        contentType: "TEXT",
        sender: { name: "OneRoute Demo", authUser: true, lastActivity: expect.stringMatching(ISO) },
        externalId: expect.stringMatching(/^[A-Za-z0-9]{28}$/),
        conversation_id: expect.stringMatching(UUID),
        updatedAt: expect.stringMatching(ISO),
        createdAt: expect.stringMatching(ISO),
        subject: null,
        imageUrl: null,
        videoUrl: null,
        documentUrl: null,
        audioUrl: null,
        quoted_message_id: null
      },
      message: "Message sent to customer",
      success: true
    })
    const createdAt = Date.parse(body.data.createdAt as string)
    expect(createdAt - now.getTime()).toBeGreaterThanOrEqual(0)
    // The clock ticks on in real time from `now`: no further than the test has run.
    expect(createdAt - now.getTime()).toBeLessThanOrEqual(Date.now() - startedAt)
    expect(body.data.updatedAt).toBe(body.data.createdAt)

    const sent = emulator.sent()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toEqual({
      id: body.data.id,
      from: BUSINESS,
      to: CUSTOMER,
      message: "Your order has shipped",
      at: new Date(createdAt)
    })
  })

  it("keeps conversation_id stable per (from, to) pair and uses the channel name", async () => {
    const other = "2348099999999"
    const emulator = await start({ channels: [{ number: BUSINESS, name: "Acme Store" }, { number: "447700900123" }] })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    emulator.receiveInbound({ from: other, to: BUSINESS })
    emulator.receiveInbound({ from: CUSTOMER, to: "447700900123" })
    type Body = { data: { id: string; conversation_id: string; externalId: string; sender: { name: string } } }
    const a1 = (await (await send(emulator, validBody("one"))).json()) as Body
    const a2 = (await (await send(emulator, validBody("two"))).json()) as Body
    const b = (await (await send(emulator, { from: BUSINESS, to: other, message: "x" })).json()) as Body
    const c = (await (await send(emulator, { from: "447700900123", to: CUSTOMER, message: "y" })).json()) as Body
    expect(a1.data.conversation_id).toBe(a2.data.conversation_id)
    expect(a1.data.id).not.toBe(a2.data.id)
    expect(a1.data.externalId).not.toBe(a2.data.externalId)
    expect(b.data.conversation_id).not.toBe(a1.data.conversation_id)
    expect(c.data.conversation_id).not.toBe(a1.data.conversation_id)
    expect(a1.data.sender.name).toBe("Acme Store")
    expect(c.data.sender.name).toBe("447700900123")
    expect(emulator.sent().map((m) => m.message)).toEqual(["one", "two", "x", "y"])
  })
})

describe("401", () => {
  it("returns the documented body for a missing apiKey header", async () => {
    const emulator = await startOpen()
    const response = await fetch(`${emulator.url}${SEND_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(validBody())
    })
    expect(response.status).toBe(401)
    expect(await response.text()).toBe('{"data":null,"message":"Invalid API Key","success":false}')
    expect(emulator.sent()).toHaveLength(0)
  })

  it("returns the documented body for a wrong apiKey, before looking at the body", async () => {
    const emulator = await startOpen({ apiKey: "secret-key" })
    expect(emulator.apiKey).toBe("secret-key")
    const response = await send(emulator, "not json at all", {
      headers: { apiKey: "wrong", "content-type": "text/plain" }
    })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual(envelope("Invalid API Key"))
  })

  it("generates a test_ key when none is given", async () => {
    const emulator = await start()
    expect(emulator.apiKey).toMatch(/^test_[0-9a-f]{24}$/)
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })
})

describe("undocumented cases", () => {
  const expectError = async (response: Response, status: number, message: string | RegExp) => {
    expect(response.status).toBe(status)
    const body = (await response.json()) as { data: unknown; message: string; success: boolean }
    expect(body.data).toBeNull()
    expect(body.success).toBe(false)
    if (typeof message === "string") expect(body.message).toBe(message)
    else expect(body.message).toMatch(message)
  }

  it("405 for other methods on the send path, with Allow", async () => {
    const emulator = await startOpen()
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      const response = await fetch(`${emulator.url}${SEND_PATH}`, { method, headers: { apiKey: emulator.apiKey } })
      expect(response.headers.get("allow")).toBe("POST, OPTIONS")
      await expectError(response, 405, `Method ${method} is not allowed on ${SEND_PATH}; use POST`)
    }
  })

  it("404 for unknown paths", async () => {
    const emulator = await startOpen()
    await expectError(
      await fetch(`${emulator.url}/api/public/conversation/image`, { method: "POST" }),
      404,
      /Not found/
    )
    await expectError(await fetch(`${emulator.url}${SEND_PATH}/`, { method: "POST" }), 404, /Not found/)
    await expectError(await fetch(`${emulator.url}/`), 404, "Not found: /")
  })

  it("415 when Content-Type is not application/json; charset parameters are fine", async () => {
    const emulator = await startOpen()
    const body = JSON.stringify(validBody())
    await expectError(
      await send(emulator, body, { headers: { "content-type": "text/plain" } }),
      415,
      "Content-Type must be application/json"
    )
    await expectError(
      await fetch(`${emulator.url}${SEND_PATH}`, {
        method: "POST",
        headers: { apiKey: emulator.apiKey },
        body: new Uint8Array(new TextEncoder().encode(body))
      }),
      415,
      "Content-Type must be application/json"
    )
    await expectError(
      await send(emulator, body, { headers: { "content-type": "application/jsonx" } }),
      415,
      /Content-Type/
    )
    const ok = await send(emulator, body, { headers: { "content-type": "Application/JSON; charset=utf-8" } })
    expect(ok.status).toBe(200)
  })

  it("413 above 64 KiB, exactly 64 KiB is accepted", async () => {
    const emulator = await startOpen()
    const base = JSON.stringify({ ...validBody("hi"), pad: "" })
    const exact = JSON.stringify({ ...validBody("hi"), pad: "x".repeat(65536 - base.length) })
    expect(exact.length).toBe(65536)
    expect((await send(emulator, exact)).status).toBe(200)
    const tooBig = JSON.stringify({ ...validBody("hi"), pad: "x".repeat(65537 - base.length) })
    await expectError(await send(emulator, tooBig), 413, "Request body must not exceed 65536 bytes")
    await expectError(await send(emulator, "x".repeat(200_000)), 413, /65536/)
    expect(emulator.sent()).toHaveLength(1)
  })

  it("400 when the body is not a JSON object", async () => {
    const emulator = await startOpen()
    for (const body of ["{not json", "", "[]", "null", '"text"', "42", "[{}]"]) {
      await expectError(await send(emulator, body), 400, "Request body must be a JSON object")
    }
  })

  it("400 naming the field when from, to or message is missing or not a string", async () => {
    const emulator = await startOpen()
    await expectError(await send(emulator, { to: CUSTOMER, message: "m" }), 400, 'Missing required field "from"')
    await expectError(await send(emulator, { from: BUSINESS, message: "m" }), 400, 'Missing required field "to"')
    await expectError(await send(emulator, { from: BUSINESS, to: CUSTOMER }), 400, 'Missing required field "message"')
    await expectError(
      await send(emulator, { from: 2348000000001, to: CUSTOMER, message: "m" }),
      400,
      'Field "from" must be a string'
    )
    await expectError(
      await send(emulator, { from: BUSINESS, to: null, message: "m" }),
      400,
      'Field "to" must be a string'
    )
    await expectError(
      await send(emulator, { from: BUSINESS, to: CUSTOMER, message: ["m"] }),
      400,
      'Field "message" must be a string'
    )
    // Presence/type of all three fields is checked before the number format.
    await expectError(await send(emulator, { from: "bad", to: "bad" }), 400, 'Missing required field "message"')
  })

  it("400 for invalid WhatsApp numbers", async () => {
    const emulator = await startOpen()
    for (const bad of [
      "+2348000000001",
      "02348000000001",
      "1234567",
      "1234567890123456",
      "23480000000a1",
      " 2348000000001"
    ]) {
      await expectError(
        await send(emulator, { from: bad, to: CUSTOMER, message: "m" }),
        400,
        "Invalid WhatsApp number in from"
      )
      await expectError(
        await send(emulator, { from: BUSINESS, to: bad, message: "m" }),
        400,
        "Invalid WhatsApp number in to"
      )
    }
    await expectError(
      await send(emulator, { from: "x", to: "y", message: "m" }),
      400,
      "Invalid WhatsApp number in from"
    )
  })

  it("400 for a blank or too long message (UTF-16 code units)", async () => {
    const emulator = await startOpen()
    for (const blank of ["", "   ", "\n\t "]) {
      await expectError(await send(emulator, validBody(blank)), 400, 'Field "message" must not be blank')
    }
    await expectError(await send(emulator, validBody("a".repeat(4097))), 400, /at most 4096 characters .*got 4097/)
    await expectError(await send(emulator, validBody("😀".repeat(2049))), 400, /got 4098/)
    expect((await send(emulator, validBody("a".repeat(4096)))).status).toBe(200)
    expect((await send(emulator, validBody("😀".repeat(2048)))).status).toBe(200)
    expect(emulator.sent().map((m) => m.message.length)).toEqual([4096, 4096])
  })

  it("403 when from is not a connected channel (after validation, before the window)", async () => {
    const emulator = await startOpen()
    await expectError(
      await send(emulator, { from: "2348000000002", to: CUSTOMER, message: "m" }),
      403,
      "WhatsApp number 2348000000002 is not connected to a channel"
    )
    // blank message is a 400 even for an unconnected number
    await expectError(await send(emulator, { from: "2348000000002", to: CUSTOMER, message: " " }), 400, /blank/)
    expect(emulator.sent()).toHaveLength(0)
  })

  it("422 when the customer has not written in the last 24 hours", async () => {
    const emulator = await start()
    await expectError(await send(emulator), 422, /24-hour customer service window is closed/)
    expect(emulator.sent()).toHaveLength(0)
  })
})

describe("24-hour window", () => {
  const DAY = 24 * 60 * 60 * 1000

  it("opens on inbound, closes after 24 h + 1 ms, reopens on a new inbound", async () => {
    const emulator = await start({ now: new Date("2031-06-01T12:00:00.000Z") })
    expect((await send(emulator)).status).toBe(422)
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect((await send(emulator)).status).toBe(200)
    emulator.clock.advance(DAY - 1_000)
    expect((await send(emulator)).status).toBe(200)
    emulator.clock.advance(1_001)
    expect((await send(emulator)).status).toBe(422)
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect((await send(emulator)).status).toBe(200)
    expect(emulator.sent()).toHaveLength(3)
  })

  it("uses the inbound time given in `at`, and each inbound restarts the 24 h", async () => {
    const emulator = await start()
    const now = emulator.clock.now().getTime()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, at: new Date(now - DAY - 1) })
    expect((await send(emulator)).status).toBe(422)
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, at: new Date(now - DAY + 60_000) })
    expect((await send(emulator)).status).toBe(200)
    emulator.clock.advance(60_000)
    expect((await send(emulator)).status).toBe(422)
  })

  it("an inbound dated in the future does not open the window yet", async () => {
    const emulator = await start()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS, at: new Date(emulator.clock.now().getTime() + 60_000) })
    expect((await send(emulator)).status).toBe(422)
    emulator.clock.advance(60_001)
    expect((await send(emulator)).status).toBe(200)
  })

  it("is per (customer, business) pair", async () => {
    const second = "447700900123"
    const emulator = await start({ channels: [{ number: BUSINESS }, { number: second }] })
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect((await send(emulator, { from: BUSINESS, to: CUSTOMER, message: "m" })).status).toBe(200)
    expect((await send(emulator, { from: second, to: CUSTOMER, message: "m" })).status).toBe(422)
    expect((await send(emulator, { from: BUSINESS, to: "2348099999999", message: "m" })).status).toBe(422)
  })

  it("clock.set moves the emulator time", async () => {
    const emulator = await startOpen()
    emulator.clock.set(new Date(Date.now() + DAY + 10_000))
    expect(emulator.clock.now().getTime()).toBeGreaterThan(Date.now() + DAY)
    expect((await send(emulator)).status).toBe(422)
  })
})
