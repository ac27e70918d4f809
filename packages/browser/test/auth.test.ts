/**
 * A page authenticates to its relay: `headers` (bearer, CSRF), `credentials` (cookies) and a
 * custom `fetch`, in real Chromium against a real relay (`relayHandler` of @oneroute/node behind
 * the application's own authentication, see relayHost.ts) in front of the emulator.
 */
import { connectEmulator, type EmulatorControl } from "@oneroute/testkit/conformance"
import * as Effect from "effect/Effect"
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest"
import { layer, OneRoute } from "../src/effect.js"
import { createClient, InvalidOptionsError, RejectedError } from "../src/index.js"
import { rejectionOf, thrownBy } from "./outcomes.js"
import type { AuthRequest } from "./relayHost.js"

const CUSTOMER = "2348012345678"
const BUSINESS = "2348000000001"
const send = { from: BUSINESS, to: CUSTOMER, message: "hi" }

/** `AUTH_PATH` and `GZIP_PATH` of relayHost.ts (which runs in Node: only its types are imported here). */
const AUTH_PATH = "/auth/oneroute"
const GZIP_PATH = "/gzip"
const relayUrl = inject("relayUrl")
/** The authenticated relay on 127.0.0.1 (another site than the page when that is `localhost`). */
const authUrl = new URL(AUTH_PATH, relayUrl).href
/** The same relay under the page's own host name: same site, another origin (port). */
const sameSiteAuthUrl = `${location.protocol}//${location.hostname}:${inject("relayPort")}${AUTH_PATH}`

const relayControl = async (name: string, body: unknown = {}) =>
  fetch(new URL(`/__relay/${name}`, relayUrl), { method: "POST", body: JSON.stringify(body) })
const seen = async (): Promise<Array<AuthRequest>> =>
  (await fetch(new URL("/__relay/auth-requests", relayUrl))).json() as Promise<Array<AuthRequest>>

const SESSION_COOKIE = "session=s3cr3t-session"
/** The page's session cookie; cookies ignore ports, so the relay's host name gets it too. */
const setCookie = (cookie: string) => {
  // biome-ignore lint/suspicious/noDocumentCookie: the simplest way for a test page to sign in
  document.cookie = cookie
}
const clearCookie = () => setCookie("session=; path=/; max-age=0")

let control: EmulatorControl
beforeAll(async () => {
  control = await connectEmulator(inject("emulatorUrl"))
  await relayControl("allow-origin", { origin: location.origin })
})
beforeEach(async () => {
  await control.reset()
  await control.receiveInbound({ from: CUSTOMER, to: BUSINESS })
  await relayControl("auth-reset")
})
afterEach(clearCookie)

describe("headers", () => {
  it("control: without a token the application's relay refuses, and nothing is sent", async () => {
    const client = createClient({ relayUrl: authUrl, retry: false })
    try {
      const error = await rejectionOf(client.sendSessionMessage(send))
      expect(error).toBeInstanceOf(RejectedError)
      expect((error as RejectedError).status).toBe(401)
      expect((error as RejectedError).refusedBy).toBe("relay")
    } finally {
      await client.close()
    }
    expect(await control.sent()).toHaveLength(0)
  })

  it("a bearer header reaches the relay and the message is sent; the SDK's own headers stay its own", async () => {
    const client = createClient({
      relayUrl: authUrl,
      headers: {
        authorization: "Bearer page-token",
        "content-type": "text/plain",
        "idempotency-key": "chosen-by-page",
        apikey: "never-from-a-page"
      }
    })
    try {
      const message = await client.sendSessionMessage(send)
      expect((await control.sent()).map((m) => m.id)).toEqual([message.id])
    } finally {
      await client.close()
    }
    const [request] = await seen()
    expect(request?.authorization).toBe("Bearer page-token")
    expect(request?.contentType).toBe("application/json")
    expect(request?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
    expect(request?.apiKey).toBeNull()
  })

  it("a function is called for every send (a fresh CSRF token each time), async too", async () => {
    let issued = 0
    const client = createClient({
      relayUrl: authUrl,
      headers: async () => ({ authorization: "Bearer page-token", "x-csrf-token": `csrf-${++issued}` })
    })
    try {
      await client.sendSessionMessage(send)
      await client.sendSessionMessage({ ...send, message: "again" })
    } finally {
      await client.close()
    }
    expect((await seen()).map((request) => request.csrf)).toEqual(["csrf-1", "csrf-2"])
    expect(await control.sent()).toHaveLength(2)
  })

  it("per-send headers on the Promise client's second argument", async () => {
    const client = createClient({ relayUrl: authUrl, headers: { "x-csrf-token": "from-client" } })
    try {
      await client.sendSessionMessage(send, { headers: { authorization: "Bearer per-send" } })
    } finally {
      await client.close()
    }
    const [request] = await seen()
    expect(request?.authorization).toBe("Bearer per-send")
    expect(request?.csrf).toBe("from-client")
  })

  it("a headers function that rejects rejects the send with its error; nothing reaches the relay", async () => {
    const expired = new Error("session expired")
    const client = createClient({ relayUrl: authUrl, headers: () => Promise.reject(expired) })
    try {
      expect(await rejectionOf(client.sendSessionMessage(send))).toBe(expired)
    } finally {
      await client.close()
    }
    expect(await seen()).toHaveLength(0)
  })
})

describe("credentials", () => {
  it("default: fetch's own default, so a cross-origin relay gets no cookie", async () => {
    setCookie(`${SESSION_COOKIE}; path=/`)
    const client = createClient({ relayUrl: sameSiteAuthUrl, retry: false })
    try {
      expect(await rejectionOf(client.sendSessionMessage(send))).toBeInstanceOf(RejectedError)
    } finally {
      await client.close()
    }
    expect((await seen())[0]?.cookie ?? null).toBeNull()
  })

  it('"include" sends the page\'s session cookie to the relay, which lets the send through', async () => {
    setCookie(`${SESSION_COOKIE}; path=/`)
    const client = createClient({ relayUrl: sameSiteAuthUrl, credentials: "include" })
    try {
      const message = await client.sendSessionMessage(send)
      expect((await control.sent()).map((m) => m.id)).toEqual([message.id])
    } finally {
      await client.close()
    }
    expect((await seen())[0]?.cookie).toContain(SESSION_COOKIE)
  })
})

describe("fetch", () => {
  it("a custom fetch is the one called, with the URL and the init the SDK built", async () => {
    const calls: Array<{ url: string; headers: Headers; credentials: RequestCredentials | undefined }> = []
    const client = createClient({
      relayUrl: authUrl,
      headers: { authorization: "Bearer page-token" },
      credentials: "omit",
      fetch: (input, init) => {
        calls.push({ url: String(input), headers: new Headers(init?.headers), credentials: init?.credentials })
        return globalThis.fetch(input, init)
      }
    })
    try {
      await client.sendSessionMessage(send)
    } finally {
      await client.close()
    }
    expect(calls).toHaveLength(1)
    expect(calls[0]?.url).toBe(`${authUrl}/api/public/conversation/text`)
    expect(calls[0]?.headers.get("authorization")).toBe("Bearer page-token")
    expect(calls[0]?.credentials).toBe("omit")
    expect(await control.sent()).toHaveLength(1)
  })

  it("refuses a fetch that is not a function and an unknown credentials mode", () => {
    const badFetch = thrownBy(() => createClient({ relayUrl: authUrl, fetch: "fetch" as unknown as typeof fetch }))
    expect(badFetch).toBeInstanceOf(InvalidOptionsError)
    expect((badFetch as InvalidOptionsError).option).toBe("fetch")
    const badCredentials = thrownBy(() =>
      createClient({ relayUrl: authUrl, credentials: "always" as RequestCredentials })
    )
    expect((badCredentials as InvalidOptionsError).option).toBe("credentials")
  })
})

describe("layer in relay mode", () => {
  it("takes the same headers, credentials and fetch", async () => {
    setCookie(`${SESSION_COOKIE}; path=/`)
    let fetched = 0
    const message = await Effect.runPromise(
      OneRoute.sendSessionMessage(send).pipe(
        Effect.provide(
          layer({
            relayUrl: sameSiteAuthUrl,
            headers: () => ({ "x-csrf-token": "effect-csrf" }),
            credentials: "include",
            fetch: (input, init) => {
              fetched++
              return globalThis.fetch(input, init)
            }
          })
        )
      )
    )
    expect((await control.sent()).map((m) => m.id)).toEqual([message.id])
    expect(fetched).toBe(1)
    const [request] = await seen()
    expect(request?.csrf).toBe("effect-csrf")
    expect(request?.cookie).toContain(SESSION_COOKIE)
  })
})

describe("maxResponseBytes in the browser", () => {
  // A cross-origin gzip answer of 2 MiB inflated, with a Content-Length of a few KiB: that the
  // default cap cuts it (counting inflated bytes) is the transport suite's, transportSuite.test.ts.
  it("a raised cap lets a cross-origin gzip answer of 2 MiB through, decoded", async () => {
    const client = createClient({ relayUrl: new URL(GZIP_PATH, relayUrl).href, maxResponseBytes: 4 * 1024 * 1024 })
    try {
      expect((await client.sendSessionMessage(send)).contentType).toBe("TEXT")
    } finally {
      await client.close()
    }
  })
})
