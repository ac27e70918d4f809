import { checkDate } from "./clock.js"
import { MAX_BODY_BYTES } from "./constants.js"
import { EmulatorLimitError } from "./errors.js"
import { parseFault } from "./faults.js"
import { fail, json, ok, parseJsonObject, readBody, TOO_LARGE } from "./http.js"
import type { EmulatorCore } from "./state.js"
import type { Campaign, WebhookDelivery, WebhookFault } from "./types.js"
import { parseWebhookFault } from "./webhookConfig.js"

type Method = "GET" | "POST"
type Run = (core: EmulatorCore, body: Record<string, unknown>) => Response | Promise<Response>
/** A control route: what it does per method. */
type Route = Partial<Record<Method, Run>>

const toDate = (value: unknown, what: string): Date => {
  if (typeof value === "string" || typeof value === "number") return checkDate(new Date(value), what)
  throw new TypeError(`${what} must be an ISO-8601 string or epoch milliseconds`)
}

const campaignJson = (campaign: Campaign) => ({
  ...campaign,
  acceptedAt: campaign.acceptedAt.toISOString(),
  dueAt: campaign.dueAt.toISOString(),
  ...(campaign.deliveredAt === undefined ? {} : { deliveredAt: campaign.deliveredAt.toISOString() }),
  messages: campaign.messages.map((message) => ({
    ...message,
    ...(message.sentAt === undefined ? {} : { sentAt: message.sentAt.toISOString() }),
    ...(message.failedAt === undefined ? {} : { failedAt: message.failedAt.toISOString() })
  }))
})

const deliveryJson = (delivery: WebhookDelivery) => ({ ...delivery, at: delivery.at.toISOString() })

const routes: Readonly<Record<string, Route>> = {
  info: {
    GET: (core) =>
      ok({ url: core.url, apiKey: core.apiKey, channels: core.channels, now: core.clock.now().toISOString() })
  },
  inbound: {
    POST: (core, body) => {
      const at = body.at === undefined ? core.clock.now() : toDate(body.at, "at")
      core.receiveInbound({
        from: body.from as string,
        to: body.to as string,
        at,
        text: body.text as string | undefined,
        name: body.name as string | undefined,
        webhookFault: body.webhookFault as WebhookFault | undefined
      })
      return ok({ from: body.from, to: body.to, at: at.toISOString() }, "Inbound recorded")
    }
  },
  sent: {
    GET: (core) => ok(core.sent().map((m) => ({ ...m, at: m.at.toISOString() })))
  },
  requests: { GET: (core) => ok({ count: core.requests() }) },
  templates: {
    GET: (core) => ok(core.templates()),
    POST: (core, body) => ok(core.registerTemplate(body), "Template registered")
  },
  "sent-templates": {
    GET: (core) => ok(core.sentTemplates().map((m) => ({ ...m, at: m.at.toISOString() })))
  },
  faults: {
    POST: (core, body) => {
      const fault = parseFault(body)
      core.inject(fault)
      return ok(fault, "Fault queued")
    }
  },
  campaigns: { GET: (core) => ok(core.campaigns.list().map(campaignJson)) },
  "deliver-campaigns": {
    POST: (core) => ok(core.campaigns.deliverAll().map(campaignJson), "Campaigns delivered")
  },
  webhook: {
    GET: (core) => ok(core.webhooks.config() ?? null),
    POST: (core, body) => {
      if (!Object.hasOwn(body, "webhook")) {
        throw new TypeError('webhook expects { "webhook": { url, secret, … } } or { "webhook": null }')
      }
      core.webhooks.configure(body.webhook)
      return ok(core.webhooks.config() ?? null, body.webhook === null ? "Webhook removed" : "Webhook configured")
    }
  },
  "webhook-faults": {
    POST: (core, body) => {
      const fault = parseWebhookFault(body)
      core.webhooks.inject(fault)
      return ok(fault, "Webhook fault queued")
    }
  },
  "webhook-deliveries": { GET: (core) => ok(core.webhooks.deliveries().map(deliveryJson)) },
  "webhook-flush": {
    POST: async (core) => ok((await core.webhooks.flush()).map(deliveryJson), "Webhooks delivered")
  },
  clock: {
    POST: (core, body) => {
      const hasAdvance = Object.hasOwn(body, "advanceMs")
      const hasNow = Object.hasOwn(body, "now")
      if (hasAdvance === hasNow)
        throw new TypeError('clock expects exactly one of { "advanceMs": number } or { "now": date }')
      if (hasAdvance) {
        const ms = body.advanceMs
        if (typeof ms !== "number") throw new TypeError("advanceMs must be a number")
        core.clock.advance(ms)
      } else {
        core.clock.set(toDate(body.now, "now"))
      }
      return ok({ now: core.clock.now().toISOString() })
    }
  },
  reset: {
    POST: (core) => {
      core.reset()
      return ok({ now: core.clock.now().toISOString() }, "Emulator reset")
    }
  }
}

/** POST routes that need no body (`{}` is fine too). */
const BODILESS: ReadonlySet<string> = new Set(["reset", "deliver-campaigns", "webhook-flush"])

/** Handle `/__emulator/<name>`. JSON in and out, no apiKey. */
export const handleControl = async (core: EmulatorCore, request: Request, name: string): Promise<Response> => {
  const route = Object.hasOwn(routes, name) ? routes[name] : undefined
  if (route === undefined) return fail(404, `Unknown emulator control route /__emulator/${name}`)
  const methods = (Object.keys(route) as Array<Method>).sort()
  const run = Object.hasOwn(route, request.method) ? route[request.method as Method] : undefined
  if (run === undefined) {
    return fail(405, `Method ${request.method} is not allowed on /__emulator/${name}; use ${methods.join(" or ")}`, {
      allow: `${methods.join(", ")}, OPTIONS`
    })
  }
  let body: Record<string, unknown> = {}
  if (request.method === "POST") {
    const bytes = await readBody(request, MAX_BODY_BYTES)
    if (bytes === TOO_LARGE) return fail(413, `Request body must not exceed ${MAX_BODY_BYTES} bytes`)
    if (bytes.byteLength > 0 || !BODILESS.has(name)) {
      const parsed = parseJsonObject(bytes)
      if (!parsed.ok) return fail(400, parsed.message)
      body = parsed.value
    }
  }
  // Every route checks its whole input before it changes anything, so a 400 or 409 leaves the emulator as it was.
  try {
    return await run(core, body)
  } catch (error) {
    if (error instanceof TypeError) return fail(400, error.message)
    if (error instanceof EmulatorLimitError) {
      return json(409, { data: { limit: error.limit, max: error.max }, message: error.message, success: false })
    }
    throw error
  }
}
