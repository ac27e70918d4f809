import { readFileSync } from "node:fs"
import type { IncomingMessage, ServerResponse } from "node:http"
import { relayHandler, toNodeListener } from "@oneroute/node"
import type { Target } from "../environment.js"
import { consolePage } from "./page.js"

/** Where the relay is mounted: the page's `relayUrl`; it answers every endpoint below it. */
export const RELAY_PATH = "/oneroute"

const SESSION_COOKIE = "oneroute_demo"

/** The session cookie's value in a request, if it has one. */
const sessionOf = (cookieHeader: string | null | undefined): string | undefined =>
  cookieHeader
    ?.split(";")
    .map((part) => part.trim().split("="))
    .find(([name]) => name === SESSION_COOKIE)?.[1]

/**
 * The console's routes: the page, its script, the relay, and the simulated customer. `origin` is
 * where the console is served (`http://127.0.0.1:5173`): only its page may use the relay.
 */
export const consoleListener = (target: Target, origin: string) => {
  const from = target.from ?? ""
  // Loading the page starts a session (an HttpOnly cookie the page's fetch sends back); the relay
  // serves only requests of that session, as a team's relay would check its own login.
  const session = crypto.randomUUID()
  // The key stays here: the page only talks to the relay, which adds it.
  const relay = relayHandler({
    apiKey: target.apiKey,
    ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }),
    allowedFrom: [from],
    publicUrl: new URL(RELAY_PATH, origin),
    authorize: (request) => sessionOf(request.headers.get("cookie")) === session
  })
  const relayListener = toNodeListener(relay)
  const script = readFileSync(new URL("../public/console.js", import.meta.url))
  const page = consolePage({ from, label: target.label })

  const simulateInbound = async (req: IncomingMessage, res: ServerResponse) => {
    let text = ""
    for await (const chunk of req) text += chunk
    const { customer } = JSON.parse(text || "{}") as { customer?: unknown }
    if (typeof customer !== "string") return void res.writeHead(400).end("customer is required")
    target.openWindow(customer, from)
    res.writeHead(204).end()
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://console").pathname
    if (path.startsWith(`${RELAY_PATH}/`)) return relayListener(req, res)
    if (req.method === "GET" && path === "/") {
      return void res
        .writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "set-cookie": `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`
        })
        .end(page)
    }
    if (req.method === "GET" && path === "/console.js") {
      return void res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script)
    }
    if (req.method === "POST" && path === "/demo/inbound") {
      simulateInbound(req, res).catch(() => res.writeHead(400).end("expected JSON { customer }"))
      return
    }
    res.writeHead(404).end("not found")
  }
  return { listener, close: () => relay.close() }
}
