/**
 * The relay as an attacker and a careless deployment would meet it, over real HTTP: requests
 * that cannot be Requests, repeats that must never send twice, origins that must not be
 * guessed from Host, bodies too large, callers that are not authorised.
 */
import { createServer as createHttpsServer } from "node:https"
import type { AddressInfo } from "node:net"
import { Agent, request } from "undici"
import { describe, expect, it } from "vitest"
import { IdempotencyStore, toNodeListener } from "../src/effect.js"
import { selfSignedCertificate } from "./support/certificate.js"
import { rawRequest } from "./support/rawHttp.js"
import { postJson, type RunningRelay, send, sharedEmulator, startRelay, stopRelay } from "./support/relay.js"

const emulator = sharedEmulator()

const withRelay = async (
  options: Parameters<typeof startRelay>[1],
  body: (relay: RunningRelay) => Promise<void>
): Promise<void> => {
  const relay = await startRelay(emulator, options)
  try {
    await body(relay)
  } finally {
    await stopRelay(relay)
  }
}

/**
 * For the tests that send hundreds of requests: generous for a busy machine, so only a hang
 * reaches it.
 */
const LONG = 120_000

const errorOf = (body: string) =>
  (JSON.parse(body) as { error: { _tag: string; refusedBy?: string; serverMessage?: string; sendOutcome: string } })
    .error

/** Runs `work(i)` for i in [0, count) with at most `concurrency` at a time. */
const pool = async (count: number, concurrency: number, work: (index: number) => Promise<void>) => {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++)
    })
  )
}

describe("requests that cannot become a Request get a 4xx; the server keeps serving", () => {
  it.each([
    [
      "TRACE",
      "TRACE /oneroute/api/public/conversation/text HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      405
    ],
    [
      "a Host with a space",
      "POST /oneroute/api/public/conversation/text HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n",
      400
    ],
    [
      "a Host with user info",
      "POST /oneroute/api/public/conversation/text HTTP/1.1\r\nHost: u:p@x\r\nConnection: close\r\n\r\n",
      400
    ],
    [
      "an absolute-form target with user info",
      "POST http://u:p@127.0.0.1/oneroute/api/public/conversation/text HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      400
    ]
  ])("%s", async (_, request, status) => {
    await withRelay({}, async (relay) => {
      const answer = await rawRequest(relay.port, request)
      expect(answer.status).toBe(status)
      expect((await postJson(relay.url, send)).status).toBe(200)
    })
  })
})

describe("a path a proxy could read another way is refused before the relay sees it", () => {
  const template = JSON.stringify({
    from: "2348000000001",
    messages: [{ to: "2348012345678", template: { name: "order_update", parameters: [] } }]
  })
  it.each([
    "/oneroute/api/public/conversation/text/../template",
    "/oneroute/api/public/conversation/text/%2e%2e/template",
    "/oneroute/api/public/conversation//text",
    "/oneroute/api/public/conversation/./text"
  ])("POST %s → 400, nothing sent", async (path) => {
    await withRelay({ endpoints: { sendSessionMessage: true, sendTemplateMessage: true } }, async (relay) => {
      const before = emulator.sent().length + emulator.sentTemplates().length
      const answer = await rawRequest(
        relay.port,
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${template.length}\r\nConnection: close\r\n\r\n${template}`
      )
      expect(answer.status).toBe(400)
      expect(emulator.sent().length + emulator.sentTemplates().length).toBe(before)
      expect((await postJson(relay.url, send)).status).toBe(200)
    })
  })
})

// The store keeps every key for its TTL however many others arrive: checked at the store with
// 20,000 and 10,000 keys (core/test/memoryStore.test.ts, and the shared IdempotencyStoreSuite
// for Redis); here, one small check that the relay over HTTP relies on it.
describe("a repeat within the TTL never sends twice", () => {
  it(
    "key K sent, 300 other keys, K again: one upstream copy of K",
    async () => {
      await withRelay({}, async (relay) => {
        const first = await postJson(relay.url, send, { "idempotency-key": "K" })
        expect(first.status).toBe(200)
        await pool(300, 16, async (index) => {
          const answer = await postJson(
            relay.url,
            { ...send, message: `other ${index}` },
            { "idempotency-key": `o${index}` }
          )
          expect(answer.status).toBe(200)
        })
        const again = await postJson(relay.url, send, { "idempotency-key": "K" })
        expect(again.body).toBe(first.body)
        expect(emulator.sent().filter((message) => message.message === send.message)).toHaveLength(1)
      })
    },
    LONG
  )

  it(
    "K in flight while 300 other keys pass, K resent: one copy, and the repeat says unknown",
    async () => {
      await withRelay({ repeatWait: 500 }, async (relay) => {
        emulator.inject({ kind: "hang", accept: true })
        const stuck = postJson(relay.url, send, { "idempotency-key": "K" }).catch(() => undefined)
        await expect.poll(() => emulator.sent().length, { timeout: 30_000 }).toBe(1)
        await pool(300, 16, async (index) => {
          const answer = await postJson(
            relay.url,
            { ...send, message: `other ${index}` },
            { "idempotency-key": `o${index}` }
          )
          expect(answer.status).toBe(200)
        })
        const repeat = await postJson(relay.url, send, { "idempotency-key": "K" })
        expect(repeat.status).toBe(504)
        expect(errorOf(repeat.body)).toMatchObject({ _tag: "RequestTimeoutError", sendOutcome: "unknown" })
        expect(emulator.sent().filter((message) => message.message === send.message)).toHaveLength(1)
        emulator.reset()
        await stuck
      })
    },
    LONG
  )

  it("a full store refuses new keys with 503, Retry-After and not-sent, and sends nothing for them", async () => {
    const idempotencyStore = IdempotencyStore.makeMemory({ maxBytes: 16 * 1024 })
    await withRelay({ idempotencyStore }, async (relay) => {
      const answers: Array<{ status: number; body: string; headers: Headers }> = []
      for (let index = 0; index < 40; index++) {
        answers.push(await postJson(relay.url, { ...send, message: `m${index}` }, { "idempotency-key": `k${index}` }))
      }
      const refused = answers.filter((answer) => answer.status === 503)
      expect(refused.length).toBeGreaterThan(0)
      expect(Number(refused[0]?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
      expect(errorOf(refused[0]?.body ?? "")).toMatchObject({ refusedBy: "relay", sendOutcome: "not-sent" })
      expect(emulator.sent()).toHaveLength(answers.filter((answer) => answer.status === 200).length)
      // What it remembers, it still answers from memory.
      const repeat = await postJson(relay.url, { ...send, message: "m0" }, { "idempotency-key": "k0" })
      expect(repeat.body).toBe(answers[0]?.body)
      expect(emulator.sent()).toHaveLength(40 - refused.length)
    })
  })

  it("an Idempotency-Key that is not printable ASCII or too long is InvalidInputError, nothing sent", async () => {
    await withRelay({}, async (relay) => {
      for (const key of ["x".repeat(201), "with space"]) {
        const answer = await postJson(relay.url, send, { "idempotency-key": key })
        expect(answer.status).toBe(400)
        expect(errorOf(answer.body)._tag).toBe("InvalidInputError")
      }
      expect(emulator.requests()).toBe(0)
    })
  })
})

describe("the trusted origin is configuration, never the Host header", () => {
  it("a DNS-rebinding request (attacker's Host and a matching Origin) is refused by the relay", async () => {
    await withRelay(
      { publicUrl: "https://support.example.com/oneroute/api/public/conversation/text" },
      async (relay) => {
        const answer = await rawRequest(
          relay.port,
          `POST /oneroute/api/public/conversation/text HTTP/1.1\r\nHost: evil.example:${relay.port}\r\nOrigin: http://evil.example:${relay.port}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${JSON.stringify(send).length}\r\nConnection: close\r\n\r\n` +
            JSON.stringify(send)
        )
        expect(answer.status).toBe(403)
        const body = answer.body
        expect(errorOf(body)).toMatchObject({ _tag: "RejectedError", refusedBy: "relay" })
        expect(JSON.parse(body).message).toMatch(/origin/)
        expect(emulator.requests()).toBe(0)
      }
    )
  })

  it("a same-origin https page (publicUrl) and a page behind a Host-rewriting proxy pass", async () => {
    await withRelay(
      { publicUrl: "https://support.example.com/oneroute/api/public/conversation/text" },
      async (relay) => {
        // The proxy (Vite's changeOrigin, say) rewrote Host to the relay's own address.
        const answer = await postJson(relay.url, send, { origin: "https://support.example.com" })
        expect(answer.status).toBe(200)
        expect(answer.headers.get("access-control-allow-origin")).toBe("https://support.example.com")
      }
    )
  })

  it("trustProxy takes the origin from X-Forwarded-Proto and X-Forwarded-Host; without it they are ignored", async () => {
    const forwarded = {
      origin: "https://app.example.com",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "app.example.com"
    }
    await withRelay({ publicUrl: undefined, trustProxy: true }, async (relay) => {
      expect((await postJson(relay.url, send, forwarded)).status).toBe(200)
    })
    await withRelay({ publicUrl: "https://other.example.com" }, async (relay) => {
      expect((await postJson(relay.url, send, forwarded)).status).toBe(403)
    })
  })

  it("toNodeListener on a TLS socket hands the handler an https URL", async () => {
    const seen: Array<string> = []
    const listener = toNodeListener(async (request) => {
      seen.push(new URL(request.url).origin)
      return new Response("ok")
    })
    const server = createHttpsServer(selfSignedCertificate(), listener)
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as AddressInfo
    const agent = new Agent({ connect: { rejectUnauthorized: false } })
    try {
      const response = await request(`https://127.0.0.1:${port}/x`, { dispatcher: agent })
      expect(await response.body.text()).toBe("ok")
      expect(seen).toEqual([`https://127.0.0.1:${port}`])
    } finally {
      await agent.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe("oversize bodies are answered 413, never reset", () => {
  it("20 fetches of a 1 MB body all read the relay's 413", async () => {
    await withRelay({}, async (relay) => {
      const big = JSON.stringify({ ...send, message: "x".repeat(1024 * 1024) })
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () =>
          postJson(relay.url, big).then(
            (answer) => answer.status,
            (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message
          )
        )
      )
      expect(outcomes).toEqual(Array.from({ length: 20 }, () => 413))
      expect((await postJson(relay.url, send)).status).toBe(200)
    })
  })

  it("a 1 MB body without Content-Length (chunked) is cut at the limit and answered 413", async () => {
    await withRelay({}, async (relay) => {
      const chunk = new TextEncoder().encode("x".repeat(64 * 1024))
      let sent = 0
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 16) controller.enqueue(chunk)
          else controller.close()
        }
      })
      const response = await fetch(relay.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        duplex: "half"
      } as RequestInit)
      expect(response.status).toBe(413)
      expect(errorOf(await response.text())).toMatchObject({ refusedBy: "relay", sendOutcome: "not-sent" })
    })
  })
})

describe("authorize guards every send", () => {
  it("false is a 401 from the relay before the body is read; true (also async) lets it through", async () => {
    const seen: Array<string | null> = []
    const authorize = async (request: Request) => {
      seen.push(request.headers.get("authorization"))
      return request.headers.get("authorization") === "Bearer good"
    }
    await withRelay({ authorize }, async (relay) => {
      const refused = await postJson(relay.url, send, { authorization: "Bearer bad" })
      expect(refused.status).toBe(401)
      expect(errorOf(refused.body)).toMatchObject({
        _tag: "RejectedError",
        refusedBy: "relay",
        sendOutcome: "not-sent"
      })
      expect(JSON.parse(refused.body).message).toMatch(/relay/)
      expect(emulator.requests()).toBe(0)
      expect((await postJson(relay.url, send, { authorization: "Bearer good" })).status).toBe(200)
      expect(seen).toEqual(["Bearer bad", "Bearer good"])
    })
  })

  it("an authorize that throws is the host's 500; nothing is sent and the server keeps serving", async () => {
    let fail = true
    const authorize = () => {
      if (fail) throw new Error("session store down")
      return true
    }
    await withRelay({ authorize }, async (relay) => {
      const errors: Array<unknown> = []
      const original = console.error
      console.error = (...args: Array<unknown>) => errors.push(args)
      try {
        expect((await postJson(relay.url, send)).status).toBe(500)
      } finally {
        console.error = original
      }
      expect(errors).toHaveLength(1)
      expect(emulator.requests()).toBe(0)
      fail = false
      expect((await postJson(relay.url, send)).status).toBe(200)
    })
  })
})
