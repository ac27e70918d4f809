import { readFileSync } from "node:fs"
import type { IncomingMessage, ServerResponse } from "node:http"
import { relayHandler, toNodeListener } from "@oneroute/node"
import type { Target } from "../environment.js"
import { consolePage } from "./page.js"

export const RELAY_PATH = "/oneroute/send"

/** The console's routes: the page, its script, the relay, and the simulated customer. */
export const consoleListener = (target: Target) => {
  const from = target.from ?? ""
  // The key stays here: the page only talks to the relay, which adds it.
  const relay = relayHandler({
    apiKey: target.apiKey,
    ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }),
    allowedFrom: [from]
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
    if (path === RELAY_PATH) return relayListener(req, res)
    if (req.method === "GET" && path === "/") {
      return void res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page)
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
