/**
 * A real relay (`relayHandler` of @oneroute/node) in front of the emulator, for the browser
 * tests, with test controls: `POST /__relay/allow-origin { origin }` (the vitest page's
 * origin is only known in the browser), `POST /__relay/reset-next` (the next relay request is
 * handled in full, then its connection is destroyed before any byte of the answer), and
 * `POST /__relay/create { apiKey, baseUrl, timeout?, retry? }`, which starts one more relay with
 * those OneRoute options and answers its URL (the conformance cases vary the key and base URL).
 */

import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { type RelayHandler, relayHandler, toNodeListener } from "@oneroute/node"

export const RELAY_PATH = "/oneroute/send"

const readBody = async (req: IncomingMessage): Promise<string> => {
  let text = ""
  for await (const chunk of req) text += chunk
  return text
}

const readJson = async (req: IncomingMessage) => JSON.parse((await readBody(req)) || "{}") as Record<string, unknown>

export const startRelayHost = async (emulator: { url: string; apiKey: string }, allowedFrom: string) => {
  // Until a test names the page's origin, no page may use the relay (requests without Origin pass).
  const makeRelay = (origin: string) =>
    relayHandler({
      apiKey: emulator.apiKey,
      baseUrl: emulator.url,
      allowedFrom: [allowedFrom],
      authorize: () => true,
      allowedOrigins: [origin]
    })
  let relay: RelayHandler = makeRelay("https://no-page.invalid")
  // Relays made for one conformance case each, served under /r/<id>/send.
  const extra = new Map<string, RelayHandler>()
  let resetNext = false
  let relayRequests = 0
  const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type" }

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
            authorize: () => true,
            allowedOrigins: [String(req.headers.origin)]
          })
        )
        return void res
          .writeHead(200, { ...cors, "content-type": "application/json" })
          .end(JSON.stringify({ path: `/r/${id}/send` }))
      } else if (path === "/__relay/requests") {
        return void res
          .writeHead(200, { ...cors, "content-type": "application/json" })
          .end(JSON.stringify(relayRequests))
      }
      return void res.writeHead(204, cors).end()
    }
    const perCase = /^\/r\/(\d+)\/send$/.exec(path)
    const caseRelay = perCase === null ? undefined : extra.get(perCase[1] as string)
    if (caseRelay !== undefined) return toNodeListener(caseRelay)(req, res)
    if (req.method === "POST") relayRequests++
    if (req.method === "POST" && resetNext) {
      resetNext = false
      await relay(
        new Request(`http://relay${path}`, {
          method: "POST",
          headers: req.headers as HeadersInit,
          body: await readBody(req)
        })
      )
      return void req.socket.destroy()
    }
    toNodeListener(relay)(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await relay.close()
      await Promise.all([...extra.values()].map((handler) => handler.close()))
    }
  }
}
