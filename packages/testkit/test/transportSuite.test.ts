/**
 * The transport suite checks something: transports broken in one way each (over Node's global
 * `fetch`) fail the cases that guard against that breakage, with the case's own message. The
 * runtimes' real transports run the whole suite in their packages (transportSuite.test.ts).
 * The probe itself also answers malformed requests with a 400, not a crash.
 */
import { connect } from "node:net"
import { fetchTransport, type Transport } from "@oneroute/core/adapter"
import { afterAll, describe, expect, it } from "vitest"
import { startTransportProbe, transportCases } from "../src/index.js"

const probe = await startTransportProbe()
afterAll(() => probe.close())

/** Core's transport over Node's `fetch`, told not to follow redirects (the broken ones below break one thing each). */
const base: Transport = fetchTransport(() => fetch, { redirect: "manual" })

const broken: ReadonlyArray<{
  readonly breakage: string
  readonly send: Transport
  readonly fails: ReadonlyArray<readonly [caseName: string, message: RegExp]>
}> = [
  {
    breakage: "reads every body whole, ignoring the cap",
    send: async (request) => {
      const answer = await base(request)
      return { ...answer, read: () => answer.read(Number.MAX_SAFE_INTEGER) }
    },
    fails: [
      ["a body over the cap is cut: complete false, its start kept, never more than the cap", /complete is false/],
      ["a 64 MiB body is cut at the cap and its transfer ended, never read whole", /complete is false/],
      [
        "a gzip answer: Content-Encoding shows, and an inflating transport counts inflated bytes against the cap",
        /more than the cap/
      ]
    ]
  },
  {
    breakage: "follows redirects (fetch's default)",
    send: fetchTransport(() => (url, init) => fetch(url, { ...init, redirect: "follow" })),
    fails: [
      [
        "a redirect is never followed: the 3xx reaches the caller as it is (a browser, which hides it, rejects), sent once",
        /307: answered 200 .* \(POST, POST\)/
      ]
    ]
  },
  {
    breakage: "sends again when the connection fails",
    send: (request) => base(request).catch(() => base(request)),
    fails: [
      ["a reset on a reused keep-alive connection is not sent again", /expected 1, got 2/],
      [
        "a reset after the request arrived rejects; the engine makes it NetworkError unknown; it arrived once",
        /expected 1, got 2/
      ]
    ]
  },
  {
    breakage: "drops the runtime's error (no cause to classify)",
    send: (request) =>
      base(request).catch(() => {
        throw new Error("fetch failed")
      }),
    fails: [
      [
        "a refused connection rejects; the engine makes it NetworkError not-sent where the runtime can tell",
        /sendOutcome .*expected not-sent, got unknown/
      ]
    ]
  },
  {
    breakage: "treats a body that breaks off as complete",
    send: async (request) => {
      const answer = await base(request)
      return { ...answer, read: (maxBytes) => answer.read(maxBytes).catch(() => ({ text: "", complete: true })) }
    },
    fails: [["a body that breaks off (reset, or the connection ends early) rejects the read", /the read resolved/]]
  },
  {
    breakage: "adds a charset to Content-Type and normalises the body",
    send: (request) =>
      base({
        ...request,
        headers: { ...request.headers, "content-type": "application/json; charset=utf-8" },
        body: request.body.normalize("NFD")
      }),
    fails: [["sends one POST with the headers and the body's bytes exactly as given", /header content-type/]]
  },
  {
    breakage: "finds no header",
    send: async (request) => ({ ...(await base(request)), header: () => undefined }),
    fails: [["reads the status, Retry-After and Content-Type, and the body whole, for any status", /retry-after/]]
  },
  {
    breakage: "sends although the signal was aborted",
    send: (request) => base({ ...request, signal: new AbortController().signal }),
    fails: [["an already-aborted signal rejects with its reason and sends nothing", /expected a rejection/]]
  }
]

const refusedUrl = async (): Promise<string> => {
  const closed = await startTransportProbe()
  await closed.close()
  return closed.url
}
const target = (send: Transport) => async () => ({
  transport: () => ({ send, close: async () => {} }),
  probeUrl: probe.url,
  refusedUrl: await refusedUrl(),
  detectsRefusedConnection: true
})

describe("the transport suite fails a transport that", () => {
  for (const { breakage, send, fails } of broken) {
    for (const [name, message] of fails) {
      it(`${breakage}: ${name}`, async () => {
        const testCase = transportCases.find((candidate) => candidate.name === name)
        expect(testCase, name).toBeDefined()
        await expect(testCase?.run(await target(send)())).rejects.toThrow(message)
      })
    }
  }
})

describe("the transport probe", () => {
  it.each([
    ["a malformed request line", "NONSENSE\r\n\r\n"],
    ["a header line without a colon", "POST /case/x HTTP/1.1\r\nbroken\r\n\r\n"],
    ["a chunked request body", "POST /case/x HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n"],
    ["two Content-Lengths", "POST /case/x HTTP/1.1\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab"],
    ["a Content-Length over 1 MiB", `POST /case/x HTTP/1.1\r\ncontent-length: ${2 ** 21}\r\n\r\n`],
    ["a head over 64 KiB", `POST /case/x HTTP/1.1\r\nx: ${"a".repeat(70 * 1024)}`]
  ])("answers %s with 400 and closes", async (_, bytes) => {
    const port = Number(new URL(probe.url).port)
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.end(bytes))
      let received = ""
      socket.on("data", (data) => {
        received += data.toString("latin1")
      })
      socket.on("end", () => resolve(received))
      socket.on("error", reject)
    })
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
  })

  it.each([
    ["an unknown kind", { kind: "nonsense" }],
    [
      "a header value with CRLF (a second header smuggled in)",
      { kind: "plain", status: 200, headers: { x: "a\r\nset-cookie: b" } }
    ],
    ["a header name with a space", { kind: "plain", status: 200, headers: { "x y": "a" } }],
    ["a status that is no status", { kind: "plain", status: 1200 }],
    ["a 1 TB body", { kind: "huge", bytes: 2 ** 40, framing: "length" }],
    ["a gzip bomb", { kind: "gzip", inflatedBytes: 2 ** 32 }],
    ["a 200 as a redirect", { kind: "redirect", status: 200 }],
    ["an unknown stage", { kind: "hang", stage: "forever", framing: "length" }],
    ["an array", []],
    ["not JSON", "{"]
  ])("answers %s with 404, logging nothing", async (_, answer) => {
    const raw = typeof answer === "string" ? answer : JSON.stringify(answer)
    const response = await fetch(`${probe.url}/case/hostile?answer=${encodeURIComponent(raw)}`, { method: "POST" })
    expect(response.status).toBe(404)
    expect(response.headers.get("set-cookie")).toBeNull()
    await response.body?.cancel()
    expect(await (await fetch(`${probe.url}/log/hostile`)).json()).toEqual({
      requests: [],
      cutShort: 0,
      bodyBytesSent: 0
    })
  })

  it("a case id with broken percent-encoding is a 404, and the probe keeps serving", async () => {
    const answer = encodeURIComponent(JSON.stringify({ kind: "plain", status: 200 }))
    const broken = await fetch(`${probe.url}/case/%E0%A4%A?answer=${answer}`, { method: "POST" })
    expect(broken.status).toBe(404)
    await broken.body?.cancel()
    const fine = await fetch(`${probe.url}/case/fine?answer=${answer}`, { method: "POST" })
    expect(fine.status).toBe(200)
    await fine.body?.cancel()
  })

  it("logs at most 100 requests of a case, answering the next ones 429", async () => {
    const url = `${probe.url}/case/busy?answer=${encodeURIComponent(JSON.stringify({ kind: "plain", status: 200 }))}`
    const statuses: Array<number> = []
    for (let sent = 0; sent < 101; sent++) {
      const response = await fetch(url, { method: "POST" })
      statuses.push(response.status)
      await response.body?.cancel()
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(100)
    expect(statuses.at(-1)).toBe(429)
    const log = (await (await fetch(`${probe.url}/log/busy`)).json()) as { requests: Array<unknown> }
    expect(log.requests).toHaveLength(100)
  })
})
