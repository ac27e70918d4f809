import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ConsoleServer, control, startConsole } from "./consoleServer.js"

/**
 * The inbox's event stream and webhook route under hostile requests, through real HTTP on loopback
 * against the built CLI's `serve`: only the page's session and origin, at most 8 pages, signed
 * webhooks only, bounded bodies; the server stays up.
 */
const BUSINESS = "2348000000001"
let server: ConsoleServer
let cookie: string

beforeAll(async () => {
  server = await startConsole()
  const page = await fetch(server.url)
  cookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!
})

afterAll(() => {
  server?.process.kill("SIGTERM")
})

/** Opens the event stream; resolves once the first event (the snapshot) has arrived, or with the refusal. */
const openStream = async (headers: Record<string, string> = { cookie }) => {
  const abort = new AbortController()
  const response = await fetch(`${server.url}/events`, { headers, signal: abort.signal })
  if (response.status !== 200) return { status: response.status, text: await response.text(), close: () => {} }
  const reader = response.body!.getReader()
  let text = ""
  while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader.read()).value)
  return { status: 200, text, close: () => abort.abort() }
}

/** The conversations a freshly connected page would get. */
const snapshot = async () => {
  const stream = await openStream()
  stream.close()
  const data = /^data: (.*)$/m.exec(stream.text)?.[1] ?? "{}"
  return JSON.parse(data) as { conversations: Array<{ customer?: string }> }
}

const webhook = (body: string, headers: Record<string, string> = {}, method = "POST") =>
  fetch(`${server.url}/webhooks/oneroute`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    ...(method === "GET" ? {} : { body })
  })

const forgedEvent = (customer: string) =>
  JSON.stringify({
    event: "newMessage",
    message: { sender: { authUser: false }, content: "forged", conversation_id: `c-${customer}` },
    conversation: { id: `c-${customer}`, lastMessageAt: new Date().toISOString() },
    emulator: { customer, business: BUSINESS }
  })

describe("the console's event stream", () => {
  it("serves the page's session from its own origin only", async () => {
    expect((await openStream({})).status).toBe(403)
    expect((await openStream({ cookie: "oneroute_demo=guess" })).status).toBe(403)
    expect((await openStream({ cookie, origin: "https://evil.example" })).status).toBe(403)
    const own = await openStream({ cookie, origin: server.url })
    own.close()
    expect(own.status).toBe(200)
    expect(own.text).toMatch(/^event: snapshot\ndata: \{/)
    const post = await fetch(`${server.url}/events`, { method: "POST", headers: { cookie, origin: server.url } })
    expect(post.status).toBe(405)
  })

  it("refuses a page beyond the 8th with 503, and takes one again when a page leaves", async () => {
    const open = await Promise.all(Array.from({ length: 8 }, () => openStream()))
    expect(open.map((stream) => stream.status)).toEqual(Array(8).fill(200))
    const ninth = await openStream()
    expect(ninth.status).toBe(503)
    expect(ninth.text).toMatch(/At most 8 console pages/)
    open[0]!.close()
    await expect
      .poll(async () => {
        const again = await openStream()
        again.close()
        return again.status
      })
      .toBe(200)
    for (const stream of open) stream.close()
  })
})

describe("the console's webhook route", () => {
  it("answers 401 to forged or unsigned deliveries, 403 to a web page, 413 past 32 KiB, 405 to GET; nothing changes", async () => {
    const signatures = ["", "ab".repeat(64), "AB".repeat(64), "ab".repeat(63), "zz".repeat(64), "ab".repeat(65)]
    for (const signature of signatures) {
      const headers: Record<string, string> = signature === "" ? {} : { "x-oneroute-signature": signature }
      expect((await webhook(forgedEvent("2348012349001"), headers)).status, signature).toBe(401)
    }
    const fromPage = await webhook(forgedEvent("2348012349002"), { origin: "https://evil.example" })
    expect(fromPage.status).toBe(403)
    const huge = await webhook(`{"pad":"${"x".repeat(64 * 1024)}"}`, { "x-oneroute-signature": "ab".repeat(64) })
    expect(huge.status).toBe(413)
    expect((await webhook("", {}, "GET")).status).toBe(405)
    // The emulator's own forged deliveries (another key's signature, none, a cut one) are refused too.
    for (const signature of ["mismatch", "missing", "malformed"]) {
      await control(server.emulator, "inbound", {
        from: "2348012349003",
        to: BUSINESS,
        webhookFault: { kind: "bad-signature", signature }
      })
    }
    const deliveries = await control<Array<{ status?: number }>>(server.emulator, "webhook-flush", {})
    expect(deliveries.length).toBeGreaterThan(0)
    for (const delivery of deliveries) expect(delivery.status).toBe(401)
    expect((await snapshot()).conversations).toEqual([])
  })

  it("a genuine delivery, duplicated, shows one conversation with one message", async () => {
    await control(server.emulator, "inbound", {
      from: "2348012349004",
      to: BUSINESS,
      text: "Hello twice",
      webhookFault: { kind: "duplicate", copies: 3 }
    })
    const deliveries = await control<Array<{ status?: number }>>(server.emulator, "webhook-flush", {})
    expect(deliveries.filter((d) => d.status === 200)).toHaveLength(3)
    const { conversations } = await snapshot()
    expect(conversations).toHaveLength(1)
    expect(conversations[0]).toMatchObject({
      customer: "2348012349004",
      window: { state: "open" },
      messages: [{ direction: "inbound", text: "Hello twice" }]
    })
  })

  it("/demo/inbound takes the customer's text within 1 KiB, not blank", async () => {
    const inbound = (body: unknown) =>
      fetch(`${server.url}/demo/inbound`, {
        method: "POST",
        headers: { origin: server.url },
        body: JSON.stringify(body)
      })
    expect((await inbound({ customer: "2348012349005", text: "x".repeat(1100) })).status).toBe(413)
    expect((await inbound({ customer: "2348012349005", text: " " })).status).toBe(400)
    expect((await inbound({ customer: "2348012349005", text: 42 })).status).toBe(400)
    expect((await inbound({ customer: "2348012349005", text: "Short and fine" })).status).toBe(204)
  })
})
