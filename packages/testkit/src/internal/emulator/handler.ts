import { handleCampaign } from "./campaignRoute.js"
import { CAMPAIGN_PATH, CONTROL_PREFIX, SEND_PATH, TEMPLATE_PATH } from "./constants.js"
import { handleControl } from "./controlRoutes.js"
import { show } from "./errors.js"
import { applyFault } from "./faults.js"
import { fail, PREFLIGHT_HEADERS, withCors } from "./http.js"
import { handleSend } from "./sendRoute.js"
import type { EmulatorCore } from "./state.js"
import { handleTemplate } from "./templateRoute.js"

/** A web-standard request handler (Request in, Response out). */
export type Handler = (request: Request) => Promise<Response>

const preflight = (): Response => new Response(null, { status: 204, headers: PREFLIGHT_HEADERS })

/** The send endpoints, by path: they share the request count and the fault queue. */
const ENDPOINTS: Readonly<Record<string, (core: EmulatorCore, request: Request) => Promise<Response>>> = {
  [SEND_PATH]: handleSend,
  [TEMPLATE_PATH]: handleTemplate,
  [CAMPAIGN_PATH]: handleCampaign
}

const route = async (core: EmulatorCore, request: Request): Promise<Response> => {
  const { pathname } = new URL(request.url)
  const endpoint = Object.hasOwn(ENDPOINTS, pathname) ? ENDPOINTS[pathname] : undefined
  if (endpoint !== undefined) {
    if (request.method === "OPTIONS") return preflight()
    core.countRequest()
    const fault = core.takeFault()
    const normal = () => endpoint(core, request)
    return fault === undefined ? normal() : applyFault(fault, core, request, normal)
  }
  if (pathname.startsWith(CONTROL_PREFIX)) {
    if (request.method === "OPTIONS") return preflight()
    return handleControl(core, request, pathname.slice(CONTROL_PREFIX.length))
  }
  return fail(404, `Not found: ${pathname}`)
}

/**
 * A page of another origin gets neither the controls (the API key is in `/__emulator/info`) nor
 * the send endpoints: 403 before anything runs (no request counted, no fault used, nothing
 * recorded), and no CORS header, so its script cannot read even that.
 */
const refuseOrigin = async (request: Request, origin: string): Promise<Response> => {
  await request.body?.cancel().catch(() => undefined)
  return fail(
    403,
    `Origin ${show(origin)} may not call this emulator: only pages served from loopback, or from the origins ` +
      "it was started with (allowedOrigins, --allow-origin), may",
    { vary: "origin" }
  )
}

/** Build the emulator's handler over `core`. Uses only web globals, so any web-standard host can serve it. */
export const createHandler =
  (core: EmulatorCore): Handler =>
  async (request) => {
    const origin = request.headers.get("origin")
    if (origin !== null && !core.allowsOrigin(origin)) return refuseOrigin(request, origin)
    try {
      return withCors(await route(core, request), origin)
    } catch (error) {
      return withCors(fail(500, `Emulator error: ${error instanceof Error ? error.message : String(error)}`), origin)
    }
  }
