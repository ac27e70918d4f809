import { readFileSync } from "node:fs"
import type { IncomingMessage, ServerResponse } from "node:http"
import { createWindowTracker, makeMemoryWindowStore, relayHandler, toNodeListener } from "@oneroute/node"
import type { Target } from "../environment.js"
import { type EventHubLimits, formatEvent, makeEventHub } from "./eventHub.js"
import { MAX_CONSOLE_BODY_BYTES, readBounded, refuse, SESSION_COOKIE, sessionOf, TOO_LARGE } from "./http.js"
import { makeInbox } from "./inbox.js"
import { consolePage } from "./page.js"
import { withSendLog } from "./sendLog.js"
import { makeWebhookReceiver } from "./webhookReceiver.js"
import type { ClockWire, ConversationEventWire, SnapshotWire } from "./wire.js"

/** Where the relay is mounted: the page's `relayUrl`; it answers every endpoint below it. */
export const RELAY_PATH = "/oneroute"

/** Where OneRoute (or the emulator) posts its signed webhooks. */
export const WEBHOOK_PATH = "/webhooks/oneroute"

/** The page's stream of server-sent events. */
export const EVENTS_PATH = "/events"

/** How often windows are asked again (they end as time passes) and the clock is checked. */
const REFRESH_MS = 1_000

/** How far the target's clock may drift from this machine's before pages are told the new time. */
const CLOCK_JUMP_MS = 1_000

const SIMULATE_USAGE = 'Expected JSON { "customer": "<a WhatsApp number>", "text"?: "<what the customer writes>" }'

/**
 * The console's routes: the page, its script, its event stream, the relay, the webhook receiver
 * and the simulated customer. `origin` is where the console is served (`http://127.0.0.1:5173`):
 * only its page may use the relay, the stream and the simulation.
 */
export const consoleListener = (target: Target, origin: string, limits?: EventHubLimits) => {
  const from = target.from ?? ""
  // Loading the page starts a session (an HttpOnly cookie the page's fetch sends back); the relay
  // and the stream serve only that session, as a team's relay would check its own login.
  const session = crypto.randomUUID()
  const windows = createWindowTracker({
    now: target.now,
    store: makeMemoryWindowStore({ now: target.now })
  })
  const hub = makeEventHub(limits)
  const inbox = makeInbox({
    business: from,
    windows,
    onChange: (conversation) =>
      hub.broadcast(formatEvent("conversation", { now: target.now(), conversation } satisfies ConversationEventWire))
  })
  // The key stays here: the page only talks to the relay, which adds it.
  const relay = relayHandler({
    apiKey: target.apiKey,
    ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }),
    allowedFrom: [from],
    // The send box sends templates through the relay too, one customer at a time.
    endpoints: { sendSessionMessage: true, sendTemplateMessage: { maxBodyBytes: 16 * 1024 } },
    publicUrl: new URL(RELAY_PATH, origin),
    authorize: (request) => sessionOf(request.headers.get("cookie")) === session
  })
  const relayListener = toNodeListener(
    withSendLog(relay, { business: from, windows, inbox, now: target.now, mount: RELAY_PATH })
  )
  const webhookListener =
    target.webhook === undefined
      ? undefined
      : toNodeListener(makeWebhookReceiver({ source: target.webhook, business: from, windows, inbox, now: target.now }))
  const script = readFileSync(new URL("../public/console.js", import.meta.url))
  const page = consolePage({ label: target.label })

  let clockOffset = target.now() - Date.now()
  const refresh = setInterval(() => {
    const offset = target.now() - Date.now()
    if (Math.abs(offset - clockOffset) > CLOCK_JUMP_MS) {
      clockOffset = offset
      hub.broadcast(formatEvent("clock", { now: target.now() } satisfies ClockWire))
    }
    inbox.refreshAll().catch((error: unknown) => console.error("oneroute-demo: could not refresh windows", error))
  }, REFRESH_MS)
  refresh.unref()

  /** A browser sends `Origin` with every POST, and with a GET only across origins: any other one is refused. */
  const fromOtherOrigin = (req: IncomingMessage) => req.headers.origin !== undefined && req.headers.origin !== origin

  /**
   * The one gate of every console route that reads input (the relay and the webhook receiver have
   * their own): the console's own page only (its `Origin`), a bounded body, JSON.
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
      refuse(req, res, 400, SIMULATE_USAGE)
      return undefined
    }
  }

  const simulateInbound = async (req: IncomingMessage, res: ServerResponse) => {
    const input = await readInput(req, res)
    if (res.headersSent) return
    const { customer, text } =
      typeof input === "object" && input !== null && !Array.isArray(input)
        ? (input as { customer?: unknown; text?: unknown })
        : {}
    const textIsValid = text === undefined || (typeof text === "string" && text.trim() !== "")
    if (typeof customer !== "string" || customer.length > 64 || !textIsValid) {
      return refuse(req, res, 400, SIMULATE_USAGE)
    }
    try {
      target.openWindow(customer, from, text as string | undefined)
    } catch (error) {
      // The embedded emulator's bound of remembered inbound messages (EmulatorLimitError).
      if ((error as { _tag?: unknown } | null)?._tag !== "EmulatorLimitError") throw error
      return refuse(req, res, 409, (error as Error).message)
    }
    res.writeHead(204).end()
  }

  const openEvents = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "GET") return refuse(req, res, 405, "Use GET", { allow: "GET" })
    if (fromOtherOrigin(req) || sessionOf(req.headers.cookie) !== session) {
      return refuse(req, res, 403, `Only the console's own page (${origin}) may do this: open it, then reload`)
    }
    const snapshot: SnapshotWire = {
      now: target.now(),
      business: from,
      canSimulate: target.canSimulate,
      receivesWebhooks: target.webhook !== undefined,
      templates: target.templates(),
      conversations: inbox.list()
    }
    hub.attach(res, formatEvent("snapshot", snapshot))
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://console").pathname
    if (path.startsWith(`${RELAY_PATH}/`)) return relayListener(req, res)
    if (path === WEBHOOK_PATH) {
      // OneRoute posts from its servers, without an Origin; a page elsewhere has no business here.
      if (fromOtherOrigin(req)) return refuse(req, res, 403, "Webhooks come from OneRoute, not from web pages")
      if (webhookListener === undefined) {
        return refuse(req, res, 503, "This console has no webhook secret: set ONEROUTE_WEBHOOK_SECRET")
      }
      return webhookListener(req, res)
    }
    if (path === EVENTS_PATH) return openEvents(req, res)
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
  return {
    listener,
    close: () => {
      clearInterval(refresh)
      hub.close()
      return relay.close()
    }
  }
}
