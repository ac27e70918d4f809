/** Caller headers (`headers` in relay mode, per send on the Promise client) over real HTTP. */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { afterEach, describe, expect, it } from "vitest"
import { InvalidOptionsError, OneRoute } from "../src/effect.js"
import { resolveOptions as validateOptions } from "../src/internal/options.js"
import { documentedSuccess } from "./fixtures.js"
import { answer, fetchClient, fetchLayer, rejectionOf, SEND, startServer, type TestServer } from "./httpServer.js"

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const success = JSON.stringify(documentedSuccess)
const okServer = () => startServer((_, res) => answer(res, 200, success))

describe("relay mode `headers`", () => {
  it("a record reaches the relay; it never replaces content-type, idempotency-key or apikey", async () => {
    server = await okServer()
    const client = fetchClient({
      relayUrl: `${server.url}/oneroute/send`,
      headers: {
        Authorization: "Bearer page-token",
        "X-CSRF-Token": "csrf-1",
        "Content-Type": "text/plain",
        "Idempotency-Key": "fixed",
        apiKey: "not-from-the-page"
      }
    })
    try {
      expect((await client.sendSessionMessage(SEND)).id).toBe(documentedSuccess.data.id)
    } finally {
      await client.close()
    }
    const [seen] = server.requests
    expect(seen?.headers.authorization).toBe("Bearer page-token")
    expect(seen?.headers["x-csrf-token"]).toBe("csrf-1")
    expect(seen?.headers["content-type"]).toBe("application/json")
    expect(seen?.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen?.headers.apikey).toBeUndefined()
    expect(JSON.parse(seen?.body ?? "")).toEqual(SEND)
  })

  it("a function is called before every request, retries included, with the same idempotency key", async () => {
    let count = 0
    server = await startServer((_, res) =>
      count++ === 0
        ? void res.writeHead(429, { "retry-after": "0", "content-type": "application/json" }).end("{}")
        : answer(res, 200, success)
    )
    let calls = 0
    const client = fetchClient({
      relayUrl: `${server.url}/send`,
      headers: async () => ({ authorization: `Bearer token-${++calls}` })
    })
    try {
      await client.sendSessionMessage(SEND)
    } finally {
      await client.close()
    }
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(["Bearer token-1", "Bearer token-2"])
    const keys = new Set(server.requests.map((r) => r.headers["idempotency-key"]))
    expect(keys.size).toBe(1)
  })

  it("Effect users get them through OneRoute.layer too", async () => {
    server = await okServer()
    await Effect.runPromise(
      OneRoute.sendSessionMessage(SEND).pipe(
        Effect.provide(fetchLayer({ relayUrl: `${server.url}/send`, headers: () => ({ authorization: "Bearer fx" }) }))
      )
    )
    expect(server.requests[0]?.headers.authorization).toBe("Bearer fx")
  })

  it("a function that throws or rejects fails the send with its own error, and nothing is sent", async () => {
    server = await okServer()
    const boom = new Error("no session")
    for (const headers of [
      () => {
        throw boom
      },
      () => Promise.reject(boom)
    ]) {
      const client = fetchClient({ relayUrl: `${server.url}/send`, headers })
      try {
        expect(await rejectionOf(client.sendSessionMessage(SEND))).toBe(boom)
      } finally {
        await client.close()
      }
    }
    expect(server.requests).toHaveLength(0)
  })

  it("a function returning something that is not a record of header strings is a TypeError, nothing sent", async () => {
    server = await okServer()
    for (const bad of ["Bearer x", { authorization: 1 }, { "bad name": "x" }, { authorization: "a\r\nb" }]) {
      const client = fetchClient({ relayUrl: `${server.url}/send`, headers: () => bad as Record<string, string> })
      try {
        expect(await rejectionOf(client.sendSessionMessage(SEND))).toBeInstanceOf(TypeError)
      } finally {
        await client.close()
      }
    }
    expect(server.requests).toHaveLength(0)
  })

  it("an unusable `headers` option is refused when the client is made", () => {
    for (const bad of ["Bearer x", 42, ["authorization", "x"], { authorization: 1 }, null]) {
      const result = validateOptions({ relayUrl: "https://relay.example.com/send", headers: bad as never })
      expect(Either.isLeft(result) && result.left).toBeInstanceOf(InvalidOptionsError)
      expect(Either.isLeft(result) && result.left.option).toMatch(/^headers/)
    }
  })
})

describe("per-send headers on the Promise client", () => {
  it("are sent with that send only, win over the client's, and cannot replace the SDK's own", async () => {
    server = await okServer()
    const client = fetchClient({
      relayUrl: `${server.url}/send`,
      headers: { authorization: "Bearer client", "x-client": "1" }
    })
    try {
      await client.sendSessionMessage(SEND, {
        headers: { Authorization: "Bearer send", "x-send": "2", "content-type": "text/plain" }
      })
      await client.sendSessionMessage(SEND, { headers: async () => ({ "x-send": "3" }) })
      await client.sendSessionMessage(SEND)
    } finally {
      await client.close()
    }
    const seen = server.requests.map((r) => [r.headers.authorization, r.headers["x-client"], r.headers["x-send"]])
    expect(seen).toEqual([
      ["Bearer send", "1", "2"],
      ["Bearer client", "1", "3"],
      ["Bearer client", "1", undefined]
    ])
    expect(server.requests.every((r) => r.headers["content-type"] === "application/json")).toBe(true)
  })

  it("work in direct mode too, where they can never replace the apikey", async () => {
    server = await okServer()
    const client = fetchClient({ apiKey: "the-key", baseUrl: server.url })
    try {
      await client.sendSessionMessage(SEND, { headers: { apikey: "other", "x-trace": "t" } })
    } finally {
      await client.close()
    }
    expect(server.requests[0]?.headers.apikey).toBe("the-key")
    expect(server.requests[0]?.headers["x-trace"]).toBe("t")
  })
})
