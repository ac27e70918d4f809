import { describe, expect, it, vi } from "vitest"
import { envelope, rawSend, send, startOpen, validBody } from "./helpers.js"

describe("faults", () => {
  it("latency delays the answer by at least its ms", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "latency", ms: 150 })
    const started = performance.now()
    const response = await send(emulator)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(response.status).toBe(200)
    expect(emulator.sent()).toHaveLength(1)
  })

  it("latency applies to one request: the next one is answered while the delayed one still waits", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "latency", ms: 600_000 })
    let delayedSettled = false
    const delayed = send(emulator).finally(() => {
      delayedSettled = true
    })
    await vi.waitFor(() => expect(emulator.requests()).toBe(1), { timeout: 30_000, interval: 10 })
    expect((await send(emulator)).status).toBe(200)
    expect(delayedSettled).toBe(false)
    expect(emulator.sent()).toHaveLength(1)
    await emulator.close()
    await delayed.catch(() => undefined)
  })

  it("latency continues into normal handling, including errors", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "latency", ms: 10 })
    const response = await send(emulator, validBody(), { headers: { apiKey: "nope" } })
    expect(response.status).toBe(401)
  })

  it("status with a custom HTML body", async () => {
    const emulator = await startOpen()
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    emulator.inject({ kind: "status", status: 502, body: html, contentType: "text/html" })
    const response = await send(emulator)
    expect(response.status).toBe(502)
    expect(response.headers.get("content-type")).toBe("text/html")
    expect(await response.text()).toBe(html)
    expect(emulator.sent()).toHaveLength(0)
  })

  it("status defaults: envelope body per status; custom body defaults to text/plain", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "status", status: 503 })
    emulator.inject({ kind: "status", status: 500, body: "oops" })
    emulator.inject({ kind: "status", status: 418 })
    emulator.inject({ kind: "status", status: 204 })
    const a = await send(emulator)
    expect(a.status).toBe(503)
    expect(a.headers.get("content-type")).toMatch(/^application\/json/)
    expect(await a.json()).toEqual(envelope("Service unavailable"))
    const b = await send(emulator)
    expect(b.status).toBe(500)
    expect(b.headers.get("content-type")).toBe("text/plain; charset=utf-8")
    expect(await b.text()).toBe("oops")
    const c = await send(emulator)
    expect(await c.json()).toEqual(envelope("Request failed with status 418"))
    const d = await send(emulator)
    expect(d.status).toBe(204)
    expect(await d.text()).toBe("")
    expect(emulator.sent()).toHaveLength(0)
  })

  it("faults apply before the apiKey check (any send-endpoint request)", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "status", status: 503 })
    const response = await send(emulator, validBody(), { headers: { apiKey: "wrong" } })
    expect(response.status).toBe(503)
    expect((await send(emulator, validBody(), { headers: { apiKey: "wrong" } })).status).toBe(401)
  })

  it("rate-limit: 429 with Retry-After in seconds, as an HTTP date, or absent", async () => {
    const emulator = await startOpen()
    const date = "Wed, 21 Oct 2030 07:28:00 GMT"
    emulator.inject({ kind: "rate-limit", retryAfter: 7 })
    emulator.inject({ kind: "rate-limit", retryAfter: date })
    emulator.inject({ kind: "rate-limit" })
    const a = await send(emulator)
    expect(a.status).toBe(429)
    expect(a.headers.get("retry-after")).toBe("7")
    expect(await a.json()).toEqual(envelope("Too many requests"))
    const b = await send(emulator)
    expect(b.headers.get("retry-after")).toBe(date)
    const c = await send(emulator)
    expect(c.status).toBe(429)
    expect(c.headers.get("retry-after")).toBeNull()
    expect(emulator.sent()).toHaveLength(0)
    expect((await send(emulator)).status).toBe(200)
  })

  it("malformed: message is recorded, 200 with a non-JSON body", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "malformed" })
    const response = await send(emulator)
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(() => JSON.parse(text)).toThrow()
    expect(emulator.sent()).toHaveLength(1)
  })

  it("truncated: message is recorded, 200 with the first half of the real body", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "truncated" })
    const response = await send(emulator)
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(() => JSON.parse(text)).toThrow()
    const [sent] = emulator.sent()
    expect(sent).toBeDefined()
    expect(text.startsWith(`{"data":{"id":"${sent?.id}","content":"Hello from the test"`)).toBe(true)
    // The full body is about twice as long as what we received.
    const full = await (await send(emulator)).text()
    expect(Math.abs(full.length / 2 - text.length)).toBeLessThan(5)
  })

  it("reset before-accept: socket error, nothing recorded", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "reset", when: "before-accept" })
    const result = await rawSend(emulator)
    expect(result).toMatchObject({ kind: "error", code: "ECONNRESET" })
    expect(emulator.sent()).toHaveLength(0)
    emulator.inject({ kind: "reset", when: "before-accept" })
    await expect(send(emulator)).rejects.toThrow(TypeError)
    expect(emulator.sent()).toHaveLength(0)
    expect(emulator.requests()).toBe(2)
  })

  it("reset after-accept: socket error, message recorded", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "reset", when: "after-accept" })
    const result = await rawSend(emulator, validBody("accepted then reset"))
    expect(result).toMatchObject({ kind: "error", code: "ECONNRESET" })
    expect(emulator.sent().map((m) => m.message)).toEqual(["accepted then reset"])
    emulator.inject({ kind: "reset", when: "after-accept" })
    await expect(send(emulator)).rejects.toThrow(TypeError)
    expect(emulator.sent()).toHaveLength(2)
  })

  it("hang is cut by an AbortSignal timeout; nothing recorded by default", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "hang" })
    await expect(send(emulator, validBody(), { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: "TimeoutError"
    })
    expect(emulator.sent()).toHaveLength(0)
    expect((await send(emulator)).status).toBe(200)
  })

  it("hang with accept records the message, and is cut by close()", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "hang", accept: true })
    const pending = send(emulator)
    await vi.waitFor(() => expect(emulator.sent()).toHaveLength(1), { timeout: 30_000, interval: 10 })
    const outcome = pending.then(
      () => "answered",
      () => "failed"
    )
    await new Promise((r) => setTimeout(r, 50))
    await emulator.close()
    expect(await outcome).toBe("failed")
  })

  it("hang is released by reset() as a connection reset", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "hang" })
    const pending = rawSend(emulator)
    await vi.waitFor(() => expect(emulator.requests()).toBe(1), { timeout: 30_000, interval: 10 })
    emulator.reset()
    expect(await pending).toMatchObject({ kind: "error", code: "ECONNRESET" })
  })

  it("times applies a fault to that many requests; faults are FIFO", async () => {
    const emulator = await startOpen()
    emulator.inject({ kind: "status", status: 503, times: 2 })
    emulator.inject({ kind: "rate-limit", retryAfter: 1 })
    emulator.inject({ kind: "status", status: 500 })
    const statuses: Array<number> = []
    for (let i = 0; i < 5; i++) statuses.push((await send(emulator)).status)
    expect(statuses).toEqual([503, 503, 429, 500, 200])
    expect(emulator.requests()).toBe(5)
    expect(emulator.sent()).toHaveLength(1)
  })

  it("rejects invalid faults with a TypeError", async () => {
    const emulator = await startOpen()
    const bad: ReadonlyArray<unknown> = [
      null,
      { kind: "explode" },
      { kind: "latency" },
      { kind: "latency", ms: -1 },
      { kind: "status", status: 99 },
      { kind: "status", status: 600 },
      { kind: "status", status: 500, body: 1 },
      { kind: "reset" },
      { kind: "reset", when: "later" },
      { kind: "hang", accept: "yes" },
      { kind: "hang", acept: true },
      { kind: "rate-limit", retryAfter: -5 },
      { kind: "malformed", times: 0 },
      { kind: "malformed", times: 1.5 }
    ]
    for (const fault of bad) {
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      expect(() => emulator.inject(fault as any), JSON.stringify(fault)).toThrow(TypeError)
    }
    expect((await send(emulator)).status).toBe(200)
  })
})
