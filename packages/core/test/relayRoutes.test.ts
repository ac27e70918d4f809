/**
 * The relay forwards the endpoints its options name, each with its own body limit and
 * allow-list; refuses paths not in normal form; keeps error answers small; and never lets a
 * repeat send again once a request may have left.
 */
import type { IncomingMessage } from "node:http"
import { afterEach, describe, expect, it } from "vitest"
import { InvalidOptionsError, type RelayHandlerOptions } from "../src/effect.js"
import { isNormalPath } from "../src/internal/relay/path.js"
import { answer, fetchRelay, startServer, type TestServer } from "./httpServer.js"

let upstream: TestServer | undefined
afterEach(async () => {
  await upstream?.close()
  upstream = undefined
})

const FROM = "2348000000001"
const TEMPLATE_OK = JSON.stringify({ data: [{ status: "success", response: "wa-1" }], message: "ok", success: true })
const SESSION_PATH = "/oneroute/api/public/conversation/text"
const TEMPLATE_PATH = "/oneroute/api/public/conversation/template"

const relayFor =
  (body: (req: IncomingMessage) => { status: number; body: string }, options: Partial<RelayHandlerOptions> = {}) =>
  async () => {
    upstream = await startServer((req, res) => {
      const reply = body(req)
      answer(res, reply.status, reply.body)
    })
    return fetchRelay(
      { allowedFrom: [FROM], authorize: () => true, publicUrl: "http://127.0.0.1", ...options },
      { apiKey: "secret-key", baseUrl: upstream.url, retry: false }
    )
  }

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body)
  })

const recipients = (count: number, extra: object = {}) =>
  Array.from({ length: count }, (_, index) => ({
    to: `23480123${String(index).padStart(5, "0")}`,
    template: { name: "order_update", parameters: [{ type: "text", text: "Ada" }] },
    ...extra
  }))

describe("the relay's routes", () => {
  it("forwards session messages only by default: a template is 404, nothing sent", async () => {
    const relay = await relayFor(() => ({ status: 200, body: TEMPLATE_OK }))()
    try {
      const response = await relay(post(TEMPLATE_PATH, { from: FROM, messages: recipients(1) }))
      expect(response.status).toBe(404)
      expect((await response.json()).error).toMatchObject({ reason: "relay-path", refusedBy: "relay" })
      expect(upstream?.requests).toHaveLength(0)
    } finally {
      await relay.close()
    }
  })

  it("a template route has its own allow-list and a limit a valid 100-recipient template fits", async () => {
    const entries = JSON.stringify({
      data: recipients(100).map((_, index) => ({ status: "success", response: `wa-${index}` })),
      message: "ok",
      success: true
    })
    const relay = await relayFor(() => ({ status: 200, body: entries }), {
      endpoints: { sendSessionMessage: true, sendTemplateMessage: { allowedFrom: ["2348000000002"] } }
    })()
    try {
      const refused = await relay(post(TEMPLATE_PATH, { from: FROM, messages: recipients(1) }))
      expect([refused.status, (await refused.json()).error.reason]).toEqual([403, "relay-from-not-allowed"])
      // Ten parameters of 1,024 characters and 4 KiB of metadata per recipient: about 1.4 MB.
      const parameters = Array.from({ length: 10 }, () => ({ type: "text", text: "p".repeat(1024) }))
      const big = recipients(100, { metadata: { note: "m".repeat(4000) } }).map((recipient) => ({
        ...recipient,
        template: { name: "order_update", parameters }
      }))
      const body = JSON.stringify({ from: "2348000000002", messages: big })
      expect(body.length).toBeGreaterThan(1_400_000)
      const sent = await relay(post(TEMPLATE_PATH, body))
      expect(sent.status).toBe(200)
      expect((await sent.json()).data).toHaveLength(100)
      expect(upstream?.requests).toHaveLength(1)
    } finally {
      await relay.close()
    }
  })

  it("each route has its own body limit (413, nothing sent)", async () => {
    const relay = await relayFor(() => ({ status: 200, body: TEMPLATE_OK }), {
      endpoints: { sendSessionMessage: { maxBodyBytes: 200 }, sendTemplateMessage: true }
    })()
    try {
      const session = await relay(post(SESSION_PATH, { from: FROM, to: "2348012345678", message: "x".repeat(300) }))
      expect([session.status, (await session.json()).error.reason]).toEqual([413, "relay-body-too-large"])
      expect(upstream?.requests).toHaveLength(0)
    } finally {
      await relay.close()
    }
  })

  it("refuses unusable route options when it is made", () => {
    const base = { allowedFrom: [FROM], authorize: () => true, publicUrl: "http://127.0.0.1" }
    const sendOptions = { apiKey: "k", baseUrl: "http://127.0.0.1:9", retry: false as const }
    const problems: ReadonlyArray<Partial<RelayHandlerOptions>> = [
      { endpoints: { sendSesionMessage: true } as never },
      { endpoints: { sendSessionMessage: false } },
      { endpoints: { sendSessionMessage: { maxBodyBytes: -1 } } },
      { endpoints: { sendSessionMessage: { allowedFrom: ["not a number"] } } },
      { maxBodyBytes: 1.5 },
      { repeatWait: "25 days" }
    ]
    for (const problem of problems) {
      expect(() => fetchRelay({ ...base, ...problem }, sendOptions), JSON.stringify(problem)).toThrow(
        InvalidOptionsError
      )
    }
  })

  it("keeps an error answer small however many issues a body has", async () => {
    const relay = await relayFor(() => ({ status: 200, body: TEMPLATE_OK }), {
      endpoints: { sendTemplateMessage: { maxBodyBytes: 32 * 1024 } }
    })()
    try {
      const bad = Array.from({ length: 800 }, () => ({ to: "0", template: { name: "X" } }))
      const body = JSON.stringify({ from: FROM, messages: bad })
      expect(body.length).toBeLessThan(32 * 1024)
      const response = await relay(post(TEMPLATE_PATH, body))
      const text = await response.text()
      expect(response.status).toBe(400)
      expect(text.length).toBeLessThan(16 * 1024)
      expect(JSON.parse(text).error.issues.at(-1).message).toMatch(/more issues/)
    } finally {
      await relay.close()
    }
  })
})

describe("an answer that may follow a send keeps its key", () => {
  it("a 6,000-level answer is UnexpectedResponseError (unknown); a repeat of the key does not send again", async () => {
    const deep = `{"data":[{"status":"failed","response":${"[".repeat(6_000)}${"]".repeat(6_000)}}],"message":"m","success":true}`
    const relay = await relayFor(() => ({ status: 200, body: deep }), {
      endpoints: { sendTemplateMessage: true }
    })()
    try {
      for (let repeat = 0; repeat < 3; repeat++) {
        const response = await relay(
          post(TEMPLATE_PATH, { from: FROM, messages: recipients(1) }, { "idempotency-key": "k-1" })
        )
        expect((await response.json()).error).toMatchObject({ _tag: "UnexpectedResponseError", sendOutcome: "unknown" })
      }
      expect(upstream?.requests).toHaveLength(1)
    } finally {
      await relay.close()
    }
  })

  it.each([303, 408, 409, 499])("a %i keeps the key: a repeat gets the first answer", async (status) => {
    const relay = await relayFor(() => ({ status, body: "" }))()
    try {
      const send = { from: FROM, to: "2348012345678", message: "hi" }
      const first = await (await relay(post(SESSION_PATH, send, { "idempotency-key": `k-${status}` }))).json()
      const again = await (await relay(post(SESSION_PATH, send, { "idempotency-key": `k-${status}` }))).json()
      expect(first.error.sendOutcome).toBe("unknown")
      expect(again).toEqual(first)
      expect(upstream?.requests).toHaveLength(1)
    } finally {
      await relay.close()
    }
  })
})

describe("isNormalPath", () => {
  it.each([
    ["http://x/oneroute/api/public/conversation/text", true],
    ["/a/.well-known/b", true],
    ["/a?next=/../b", true],
    ["http://x/oneroute/api/public/conversation/text/../template", false],
    ["/a//b", false],
    ["/a/./b", false],
    ["/a/%2e%2E/b", false],
    ["/a%2Fb", false],
    ["/a%5cb", false],
    ["/a\\b", false],
    ["/a/..", false]
  ])("%s → %s", (target, normal) => {
    expect(isNormalPath(target)).toBe(normal)
  })
})
