import { describe, expect, it } from "vitest"
import { startEmulator } from "../src/index.js"
import { BUSINESS, CUSTOMER, envelope, SEND_PATH, send, start, startOpen, validBody } from "./helpers.js"

const control = (url: string, name: string, body?: unknown, method = body === undefined ? "GET" : "POST") =>
  fetch(`${url}/__emulator/${name}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          headers: { "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body)
        })
  })

type Envelope<T> = { data: T; message: string; success: boolean }
const data = async <T>(response: Response): Promise<T> => {
  expect(response.status).toBe(200)
  const body = (await response.json()) as Envelope<T>
  expect(body.success).toBe(true)
  return body.data
}

describe("HTTP controls", () => {
  it("GET /__emulator/info", async () => {
    const before = Date.now()
    const emulator = await start({
      apiKey: "k1",
      channels: [{ number: BUSINESS, name: "Shop" }, { number: "447700900123" }]
    })
    const info = await data<{ url: string; apiKey: string; channels: unknown; now: string }>(
      await control(emulator.url, "info")
    )
    expect(info).toEqual({
      url: emulator.url,
      apiKey: "k1",
      channels: [
        { number: BUSINESS, name: "Shop" },
        { number: "447700900123", name: "447700900123" }
      ],
      now: expect.any(String)
    })
    expect(Date.parse(info.now)).toBeGreaterThanOrEqual(before)
    expect(Date.parse(info.now)).toBeLessThanOrEqual(Date.now())
  })

  it("POST /__emulator/inbound opens the window; at accepts ISO strings and epoch ms", async () => {
    const emulator = await start()
    expect(await data(await control(emulator.url, "inbound", { from: CUSTOMER, to: BUSINESS }))).toMatchObject({
      from: CUSTOMER,
      to: BUSINESS
    })
    expect((await send(emulator)).status).toBe(200)
    const old = new Date(Date.now() - 25 * 3600_000)
    const other = "2348099999999"
    await data(await control(emulator.url, "inbound", { from: other, to: BUSINESS, at: old.toISOString() }))
    await data(await control(emulator.url, "inbound", { from: other, to: BUSINESS, at: old.getTime() }))
    expect((await send(emulator, { from: BUSINESS, to: other, message: "m" })).status).toBe(422)
  })

  it("bad control input is a 400 with a clear message", async () => {
    const emulator = await start()
    const cases: Array<[string, unknown, RegExp]> = [
      ["inbound", { from: "+1", to: BUSINESS }, /from \(customer\) must be a WhatsApp number/],
      ["inbound", { from: CUSTOMER, to: "2348000000009" }, /2348000000009 is not connected to a channel/],
      ["inbound", { from: CUSTOMER, to: BUSINESS, at: "yesterday-ish" }, /at must be a valid Date/],
      ["inbound", "{oops", /Request body must be a JSON object/],
      ["faults", { kind: "nope" }, /fault\.kind must be one of/],
      ["faults", [], /Request body must be a JSON object/],
      ["clock", {}, /exactly one of/],
      ["clock", { advanceMs: "1" }, /advanceMs must be a number/],
      ["clock", { now: "not a date" }, /now must be a valid Date/],
      ["clock", { now: 1, advanceMs: 1 }, /exactly one of/]
    ]
    for (const [name, body, message] of cases) {
      const response = await control(emulator.url, name, body)
      expect(response.status, `${name} ${JSON.stringify(body)}`).toBe(400)
      const json = (await response.json()) as Envelope<null>
      expect(json.data).toBeNull()
      expect(json.success).toBe(false)
      expect(json.message).toMatch(message)
    }
    const wrongMethod = await control(emulator.url, "sent", {}, "POST")
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get("allow")).toBe("GET, OPTIONS")
    const unknown = await control(emulator.url, "nothing")
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual(envelope("Unknown emulator control route /__emulator/nothing"))
  })

  it("GET /__emulator/sent and /__emulator/requests", async () => {
    const emulator = await startOpen()
    expect(await data(await control(emulator.url, "requests"))).toEqual({ count: 0 })
    await send(emulator, validBody("first"))
    await send(emulator, validBody(" "))
    const sent = await data<Array<{ id: string; from: string; to: string; message: string; at: string }>>(
      await control(emulator.url, "sent")
    )
    expect(sent).toEqual([
      {
        id: emulator.sent()[0]?.id,
        from: BUSINESS,
        to: CUSTOMER,
        message: "first",
        at: emulator.sent()[0]?.at.toISOString()
      }
    ])
    expect(await data(await control(emulator.url, "requests"))).toEqual({ count: 2 })
    expect(emulator.requests()).toBe(2)
  })

  it("POST /__emulator/faults queues a fault", async () => {
    const emulator = await startOpen()
    expect(await data(await control(emulator.url, "faults", { kind: "status", status: 502, times: 2 }))).toEqual({
      kind: "status",
      status: 502,
      times: 2
    })
    expect((await send(emulator)).status).toBe(502)
    expect((await send(emulator)).status).toBe(502)
    expect((await send(emulator)).status).toBe(200)
  })

  it("POST /__emulator/clock advances or sets the clock", async () => {
    const emulator = await startOpen()
    const beforeAdvance = Date.now()
    const advanced = await data<{ now: string }>(await control(emulator.url, "clock", { advanceMs: 24 * 3600_000 + 1 }))
    expect(Date.parse(advanced.now) - beforeAdvance).toBeGreaterThan(24 * 3600_000)
    expect((await send(emulator)).status).toBe(422)
    const beforeSet = Date.now()
    const set = await data<{ now: string }>(await control(emulator.url, "clock", { now: "2040-01-01T00:00:00.000Z" }))
    // Set, then ticking in real time: no further than the request took.
    expect(Date.parse(set.now) - Date.parse("2040-01-01T00:00:00.000Z")).toBeLessThanOrEqual(Date.now() - beforeSet)
    expect(emulator.clock.now().getUTCFullYear()).toBe(2040)
  })

  it("POST /__emulator/reset resets everything (empty body allowed)", async () => {
    const emulator = await startOpen()
    await send(emulator)
    emulator.inject({ kind: "status", status: 500 })
    emulator.clock.advance(3600_000)
    const beforeReset = Date.now()
    const response = await fetch(`${emulator.url}/__emulator/reset`, { method: "POST" })
    expect(await data(response)).toEqual({ now: expect.any(String) })
    expect(emulator.sent()).toHaveLength(0)
    expect(emulator.requests()).toBe(0)
    expect(emulator.clock.now().getTime()).toBeGreaterThanOrEqual(beforeReset)
    expect(emulator.clock.now().getTime()).toBeLessThanOrEqual(Date.now())
    expect((await send(emulator)).status).toBe(422) // window cleared, fault cleared
  })
})

describe("CORS", () => {
  const PAGE = "http://localhost:5173"
  const preflight = (url: string, origin = PAGE) =>
    fetch(url, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,apikey"
      }
    })

  it("answers preflight on the send path without counting it as a request or consuming a fault", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "status", status: 500 })
    const response = await preflight(`${emulator.url}${SEND_PATH}`)
    expect(response.status).toBe(204)
    expect(response.headers.get("access-control-allow-origin")).toBe(PAGE)
    expect(response.headers.get("access-control-allow-methods")).toContain("POST")
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type, apikey")
    expect(response.headers.get("vary")).toMatch(/origin/i)
    expect(emulator.requests()).toBe(0)
    expect((await send(emulator)).status).toBe(500)
  })

  it("answers preflight on control routes and names a loopback page's origin on every response", async () => {
    const emulator = await startOpen()
    const response = await preflight(`${emulator.url}/__emulator/inbound`)
    expect(response.status).toBe(204)
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type, apikey")
    const fromPage = { headers: { origin: PAGE } }
    for (const r of [
      await send(emulator, validBody(), fromPage),
      await send(emulator, validBody(), { headers: { apiKey: "x", origin: PAGE } }),
      await fetch(`${emulator.url}/__emulator/info`, fromPage),
      await fetch(`${emulator.url}/nope`, fromPage)
    ]) {
      expect(r.headers.get("access-control-allow-origin")).toBe(PAGE)
    }
    // Not from a browser page (no Origin): served, no CORS header needed.
    expect((await control(emulator.url, "info")).headers.get("access-control-allow-origin")).toBeNull()
    emulator.inject({ kind: "rate-limit", retryAfter: 3 })
    const limited = await send(emulator, validBody(), fromPage)
    expect(limited.headers.get("access-control-expose-headers")).toMatch(/retry-after/i)
  })

  it("every loopback page is allowed by default: localhost, 127.0.0.1 and [::1], any port, http or https", async () => {
    const emulator = await start()
    for (const origin of [
      "http://localhost:5173",
      "http://127.0.0.1:63315",
      "https://[::1]:8443",
      "http://localhost"
    ]) {
      const response = await fetch(`${emulator.url}/__emulator/info`, { headers: { origin } })
      expect(response.status, origin).toBe(200)
      expect(response.headers.get("access-control-allow-origin")).toBe(origin)
    }
  })

  it("a page of another origin gets 403 and no CORS header: not the key, not a send, not a control", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "status", status: 500 })
    for (const origin of [
      "https://evil.example",
      "http://localhost.evil.example:5173",
      "http://127.0.0.2:5173",
      "null",
      "http://localhost:5173/path",
      "not an origin"
    ]) {
      const info = await fetch(`${emulator.url}/__emulator/info`, { headers: { origin } })
      expect(info.status, origin).toBe(403)
      expect(info.headers.get("access-control-allow-origin")).toBeNull()
      const text = await info.text()
      expect(text).not.toContain(emulator.apiKey)
      expect(JSON.parse(text)).toMatchObject({ data: null, success: false })
      expect((await preflight(`${emulator.url}${SEND_PATH}`, origin)).status).toBe(403)
      expect((await send(emulator, validBody(), { headers: { origin } })).status).toBe(403)
      const reset = await fetch(`${emulator.url}/__emulator/reset`, {
        method: "POST",
        headers: { origin, "content-type": "text/plain" },
        body: "{}"
      })
      expect(reset.status).toBe(403)
    }
    // Nothing ran: no request counted, the fault still queued, the window still open.
    expect(emulator.requests()).toBe(0)
    expect(emulator.sent()).toEqual([])
    expect((await send(emulator)).status).toBe(500)
    expect((await send(emulator)).status).toBe(200)
  })

  it("allowedOrigins replaces the default: only the origins listed; [] refuses every page", async () => {
    const listed = await start({ allowedOrigins: ["https://app.example.com", "http://localhost:5173"] })
    const call = (emulator: { url: string }, origin: string) =>
      fetch(`${emulator.url}/__emulator/info`, { headers: { origin } })
    const allowed = await call(listed, "https://app.example.com")
    expect(allowed.status).toBe(200)
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com")
    expect((await call(listed, "http://localhost:5173")).status).toBe(200)
    expect((await call(listed, "http://localhost:5174")).status).toBe(403)
    expect((await call(listed, "https://app.example.com.evil.example")).status).toBe(403)
    const none = await start({ allowedOrigins: [] })
    expect((await call(none, "http://localhost:5173")).status).toBe(403)
    expect((await fetch(`${none.url}/__emulator/info`)).status).toBe(200)
  })

  it("allowedOrigins must be origins (scheme, host, port), at most 100", async () => {
    for (const allowedOrigins of [
      ["https://app.example.com/"],
      ["app.example.com"],
      ["*"],
      ["ftp://example.com"],
      [42],
      "https://app.example.com",
      Array.from({ length: 101 }, (_, i) => `http://localhost:${1000 + i}`)
    ]) {
      await expect(
        startEmulator({ allowedOrigins: allowedOrigins as ReadonlyArray<string> }),
        JSON.stringify(allowedOrigins).slice(0, 60)
      ).rejects.toThrow(TypeError)
    }
  })
})

describe("Emulator API", () => {
  it("reset() clears sent, faults, windows, request count; clock back to real time", async () => {
    const emulator = await startOpen({ now: new Date("2001-01-01T00:00:00Z") })
    await send(emulator)
    emulator.inject({ kind: "status", status: 500 })
    expect(emulator.clock.now().getUTCFullYear()).toBe(2001)
    const beforeReset = Date.now()
    emulator.reset()
    expect(emulator.sent()).toEqual([])
    expect(emulator.requests()).toBe(0)
    expect(emulator.clock.now().getTime()).toBeGreaterThanOrEqual(beforeReset)
    expect(emulator.clock.now().getTime()).toBeLessThanOrEqual(Date.now())
    expect((await send(emulator)).status).toBe(422)
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect((await send(emulator)).status).toBe(200)
  })

  it("sent() returns snapshots", async () => {
    const emulator = await startOpen()
    await send(emulator)
    const snapshot = emulator.sent()
    expect(Object.isFrozen(snapshot)).toBe(true)
    snapshot[0]?.at.setTime(0)
    expect(emulator.sent()[0]?.at.getTime()).not.toBe(0)
    await send(emulator)
    expect(snapshot).toHaveLength(1)
    expect(emulator.sent()).toHaveLength(2)
  })

  it("validates options and receiveInbound input", async () => {
    await expect(startEmulator({ channels: [{ number: "+2348000000001" }] })).rejects.toThrow(TypeError)
    await expect(startEmulator({ channels: [] })).rejects.toThrow(TypeError)
    await expect(startEmulator({ channels: [{ number: BUSINESS }, { number: BUSINESS }] })).rejects.toThrow(/twice/)
    await expect(startEmulator({ apiKey: "" })).rejects.toThrow(TypeError)
    await expect(startEmulator({ port: -1 })).rejects.toThrow(TypeError)
    await expect(startEmulator({ now: new Date(Number.NaN) })).rejects.toThrow(TypeError)
    const emulator = await start()
    expect(() => emulator.receiveInbound({ from: "abc", to: BUSINESS })).toThrow(TypeError)
    expect(() => emulator.receiveInbound({ from: CUSTOMER, to: "2348000000002" })).toThrow(/not connected/)
    expect(() => emulator.clock.advance(Number.NaN)).toThrow(TypeError)
  })

  it("close() is idempotent and stops the server", async () => {
    const emulator = await startEmulator()
    await Promise.all([emulator.close(), emulator.close()])
    await expect(fetch(`${emulator.url}/__emulator/info`)).rejects.toThrow(TypeError)
  })
})
