import { readFileSync } from "node:fs"
import type { IncomingMessage, ServerResponse } from "node:http"
import { relayHandler, toNodeListener } from "@oneroute/node"
import type { Target } from "../environment.js"
import { consolePage } from "./page.js"

/** Where the relay is mounted: the page's `relayUrl`; it answers every endpoint below it. */
export const RELAY_PATH = "/oneroute"

const SESSION_COOKIE = "oneroute_demo"

/**
 * Largest body the console reads itself (`/demo/inbound`: `{"customer":"+234 801 234 5678"}` is 35
 * bytes). Past it the answer is 413 and reading stops: nothing past the limit is kept.
 */
export const MAX_CONSOLE_BODY_BYTES = 1024

/**
 * After a refusal, how much of an unread body is still read (and dropped) so the client sees the
 * answer rather than a reset, and for how long; past either the connection is closed.
 */
const DISCARD_LIMIT = 8 * 1024 * 1024
const LINGER_MS = 5_000

const TOO_LARGE = Symbol("too-large")

/** The body, or `TOO_LARGE` as soon as it passes `limit` bytes (the rest is left unread). */
const readBounded = (req: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"])
    if (declared > limit) return resolve(TOO_LARGE)
    const chunks: Array<Buffer> = []
    let total = 0
    const done = () => {
      req.off("data", onData)
      req.off("end", onEnd)
      req.off("error", onError)
    }
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength
      if (total > limit) {
        done()
        req.pause()
        return resolve(TOO_LARGE)
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      done()
      resolve(Buffer.concat(chunks))
    }
    const onError = (error: Error) => {
      done()
      reject(error)
    }
    req.on("data", onData)
    req.on("end", onEnd)
    req.on("error", onError)
  })

/**
 * Answers `status` with a plain-text `reason`. When the body is still coming, Node closes the
 * connection once the answer is written; closing with unread bytes resets it, and the client may
 * lose the answer. So the close is a lingering one: the answer, then a FIN, then what still comes
 * is read and dropped (nothing kept) until the client closes, up to {@link DISCARD_LIMIT} bytes
 * or {@link LINGER_MS}, whichever comes first.
 */
const refuse = (req: IncomingMessage, res: ServerResponse, status: number, reason: string, headers = {}) => {
  if (!req.complete) {
    const socket = req.socket
    let dropped = 0
    req.on("data", (chunk: Buffer) => {
      dropped += chunk.byteLength
      if (dropped > DISCARD_LIMIT) socket.destroy()
    })
    req.on("error", () => {})
    req.resume()
    // What Node calls to close this connection after the answer.
    socket.destroySoon = () => {
      socket.end()
      const timer = setTimeout(() => socket.destroy(), LINGER_MS)
      timer.unref()
      socket.once("close", () => clearTimeout(timer))
    }
  }
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close", ...headers }).end(reason)
}

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
    // The console's Send template button goes through the relay too.
    endpoints: { sendSessionMessage: true, sendTemplateMessage: true },
    publicUrl: new URL(RELAY_PATH, origin),
    authorize: (request) => sessionOf(request.headers.get("cookie")) === session
  })
  const relayListener = toNodeListener(relay)
  const script = readFileSync(new URL("../public/console.js", import.meta.url))
  const page = consolePage({ from, label: target.label })

  /**
   * The one gate of every console route that reads input (the relay has its own): the console's
   * own page only (its `Origin`; a browser sends one with every POST), a bounded body, JSON.
   */
  const readInput = async (req: IncomingMessage, res: ServerResponse): Promise<unknown> => {
    if (req.headers.origin !== origin) {
      refuse(req, res, 403, `Only the console's own page (${origin}) may do this`)
      return undefined
    }
    const body = await readBounded(req, MAX_CONSOLE_BODY_BYTES)
    if (body === TOO_LARGE) {
      refuse(req, res, 413, `The body must not exceed ${MAX_CONSOLE_BODY_BYTES} bytes`)
      return undefined
    }
    try {
      // 1 KiB of JSON nests at most 512 deep, which JSON.parse reads without recursion trouble.
      return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) as unknown
    } catch {
      refuse(req, res, 400, 'Expected JSON { "customer": "<a WhatsApp number>" }')
      return undefined
    }
  }

  const simulateInbound = async (req: IncomingMessage, res: ServerResponse) => {
    const input = await readInput(req, res)
    if (res.headersSent) return
    const customer =
      typeof input === "object" && input !== null && !Array.isArray(input)
        ? (input as { customer?: unknown }).customer
        : undefined
    if (typeof customer !== "string" || customer.length > 64) {
      return refuse(req, res, 400, 'Expected JSON { "customer": "<a WhatsApp number>" }')
    }
    try {
      target.openWindow(customer, from)
    } catch (error) {
      // The embedded emulator's bound of remembered inbound messages (EmulatorLimitError).
      if ((error as { _tag?: unknown } | null)?._tag !== "EmulatorLimitError") throw error
      return refuse(req, res, 409, (error as Error).message)
    }
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
    if (path === "/demo/inbound") {
      if (req.method !== "POST") return refuse(req, res, 405, "Use POST", { allow: "POST" })
      simulateInbound(req, res).catch(() => {
        if (!res.headersSent) refuse(req, res, 500, "The console could not handle this request")
        else req.socket.destroy()
      })
      return
    }
    res.writeHead(404).end("not found")
  }
  return { listener, close: () => relay.close() }
}
