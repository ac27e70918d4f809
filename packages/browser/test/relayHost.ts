/**
 * A real relay (`relayHandler` of @oneroute/node) in front of the emulator, for the browser
 * tests, with test controls: `POST /__relay/allow-origin { origin }` (the vitest page's
 * origin is only known in the browser), `POST /__relay/reset-next` (the next relay request is
 * handled in full, then its connection is destroyed before any byte of the answer), and
 * `POST /__relay/create { apiKey, baseUrl, timeout?, retry? }`, which starts one more relay with
 * those OneRoute options and answers its URL (the conformance cases vary the key and base URL).
 *
 * `AUTH_PATH` is a relay whose `authorize` demands a bearer token or a session cookie, the way a
 * README tells teams to mount it: the relay itself answers CORS for credentialed requests with
 * `authorization` and `x-csrf-token` headers; the host records what each request carried
 * (`GET /__relay/auth-requests`, cleared by `POST /__relay/auth-reset`). Without a token or
 * cookie the relay refuses (401, `refusedBy: "relay"`).
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { gzipSync } from "node:zlib"
import { Endpoint, type RelayHandler, relayHandler, toNodeListener } from "@oneroute/node"
import { documentedSuccessBody } from "@oneroute/testkit"

/** The relays here forward every endpoint of the registry: the cases cover them all. */
const EVERY_ENDPOINT = Object.fromEntries(Endpoint.all.map((endpoint) => [endpoint.name, true]))

/** Where the relays are mounted: clients take these as `relayUrl`, and post below them. */
export const RELAY_PATH = "/oneroute"
export const AUTH_PATH = "/auth/oneroute"
/**
 * Not a relay: answers every POST with the documented success envelope padded with 2 MiB of
 * spaces (still valid JSON), gzip-compressed to a few KiB, its `Content-Length` the compressed
 * size and `Content-Encoding` not exposed to the page (CORS).
 */
export const GZIP_PATH = "/gzip"

/** Whether `path` is `mount` or below it. */
const under = (path: string, mount: string) => path === mount || path.startsWith(`${mount}/`)

/** What the authenticated relay saw of one request. */
export interface AuthRequest {
  readonly authorization: string | null
  readonly cookie: string | null
  readonly csrf: string | null
  readonly contentType: string | null
  readonly idempotencyKey: string | null
  readonly apiKey: string | null
}

const requestOf = async (req: IncomingMessage, path: string) =>
  new Request(`http://relay${path}`, {
    method: req.method ?? "GET",
    headers: req.headers as HeadersInit,
    ...(req.method === "POST" ? { body: await readBody(req) } : {})
  })

const readBody = async (req: IncomingMessage): Promise<string> => {
  let text = ""
  for await (const chunk of req) text += chunk
  return text
}

const readJson = async (req: IncomingMessage) => JSON.parse((await readBody(req)) || "{}") as Record<string, unknown>

const paddedSuccess = gzipSync(JSON.stringify(documentedSuccessBody) + " ".repeat(2 * 1024 * 1024))

export const startRelayHost = async (emulator: { url: string; apiKey: string }, allowedFrom: string) => {
  // Until a test names the page's origin, no page may use the relay (requests without Origin pass).
  const makeRelay = (origin: string) =>
    relayHandler({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      allowedFrom: [allowedFrom],
      endpoints: EVERY_ENDPOINT,
      authorize: () => true,
      allowedOrigins: [origin]
    })
  let relay: RelayHandler = makeRelay("https://no-page.invalid")
  // Relays made for one conformance case each, mounted at /r/<id>.
  const extra = new Map<string, RelayHandler>()
  let resetNext = false
  let relayRequests = 0
  const authRequests: Array<AuthRequest> = []
  const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type" }
  /**
   * The relay guarded by its own `authorize`: a bearer token or a session cookie, checked the
   * way a team's relay would. Made on the first request, when the page's origin is known.
   */
  let authRelay: RelayHandler | undefined
  const authenticated = (req: IncomingMessage, res: ServerResponse) => {
    authRelay ??= relayHandler({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      allowedFrom: [allowedFrom],
      endpoints: EVERY_ENDPOINT,
      allowedOrigins: [String(req.headers.origin)],
      authorize: (request) => {
        const header = (name: string) => request.headers.get(name)
        authRequests.push({
          authorization: header("authorization"),
          cookie: header("cookie"),
          csrf: header("x-csrf-token"),
          contentType: header("content-type"),
          idempotencyKey: header("idempotency-key"),
          apiKey: header("apikey")
        })
        return /^Bearer \S+$/.test(header("authorization") ?? "") || /\bsession=/.test(header("cookie") ?? "")
      }
    })
    toNodeListener(authRelay)(req, res)
  }

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://relay").pathname
    if (path.startsWith("/__relay/")) {
      if (req.method === "OPTIONS") return void res.writeHead(204, cors).end()
      if (path === "/__relay/allow-origin") {
        const { origin } = await readJson(req)
        await relay.close()
        relay = makeRelay(String(origin))
      } else if (path === "/__relay/reset-next") {
        resetNext = true
      } else if (path === "/__relay/create") {
        const { apiKey, baseUrl, timeout, retry } = await readJson(req)
        const id = String(extra.size + 1)
        extra.set(
          id,
          relayHandler({
            apiKey: String(apiKey),
            baseUrl: String(baseUrl),
            ...(typeof timeout === "number" ? { timeout } : {}),
            ...(retry === false || typeof retry === "object" ? { retry: retry as false } : {}),
            allowedFrom: [allowedFrom],
            endpoints: EVERY_ENDPOINT,
            authorize: () => true,
            allowedOrigins: [String(req.headers.origin)]
          })
        )
        return void res
          .writeHead(200, { ...cors, "content-type": "application/json" })
          .end(JSON.stringify({ path: `/r/${id}` }))
      } else if (path === "/__relay/auth-reset") {
        authRequests.length = 0
      } else if (path === "/__relay/auth-requests") {
        return void res
          .writeHead(200, { ...cors, "content-type": "application/json" })
          .end(JSON.stringify(authRequests))
      } else if (path === "/__relay/requests") {
        return void res
          .writeHead(200, { ...cors, "content-type": "application/json" })
          .end(JSON.stringify(relayRequests))
      }
      return void res.writeHead(204, cors).end()
    }
    if (under(path, AUTH_PATH)) return authenticated(req, res)
    if (under(path, GZIP_PATH)) {
      if (req.method === "OPTIONS") {
        return void res
          .writeHead(204, { ...cors, "access-control-allow-headers": "content-type, idempotency-key" })
          .end()
      }
      req.resume()
      return void res
        .writeHead(200, {
          ...cors,
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": String(paddedSuccess.byteLength)
        })
        .end(paddedSuccess)
    }
    const perCase = /^\/r\/(\d+)\//.exec(path)
    const caseRelay = perCase === null ? undefined : extra.get(perCase[1] as string)
    if (caseRelay !== undefined) return toNodeListener(caseRelay)(req, res)
    if (req.method === "POST") relayRequests++
    if (req.method === "POST" && resetNext) {
      resetNext = false
      await relay(await requestOf(req, path))
      return void req.socket.destroy()
    }
    toNodeListener(relay)(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    port,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await relay.close()
      await authRelay?.close()
      await Promise.all([...extra.values()].map((handler) => handler.close()))
    }
  }
}
