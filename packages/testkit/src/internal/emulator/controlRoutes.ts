import { checkDate } from "./clock.js"
import { MAX_BODY_BYTES } from "./constants.js"
import { parseFault } from "./faults.js"
import { fail, ok, parseJsonObject, readBody, TOO_LARGE } from "./http.js"
import type { EmulatorCore } from "./state.js"

type Route = {
  readonly method: "GET" | "POST"
  readonly run: (core: EmulatorCore, body: Record<string, unknown>) => Response
}

const toDate = (value: unknown, what: string): Date => {
  if (typeof value === "string" || typeof value === "number") return checkDate(new Date(value), what)
  throw new TypeError(`${what} must be an ISO-8601 string or epoch milliseconds`)
}

const routes: Readonly<Record<string, Route>> = {
  info: {
    method: "GET",
    run: (core) =>
      ok({ url: core.url, apiKey: core.apiKey, channels: core.channels, now: core.clock.now().toISOString() })
  },
  inbound: {
    method: "POST",
    run: (core, body) => {
      const at = body.at === undefined ? core.clock.now() : toDate(body.at, "at")
      core.receiveInbound({ from: body.from as string, to: body.to as string, at })
      return ok({ from: body.from, to: body.to, at: at.toISOString() }, "Inbound recorded")
    }
  },
  sent: {
    method: "GET",
    run: (core) => ok(core.sent().map((m) => ({ ...m, at: m.at.toISOString() })))
  },
  requests: { method: "GET", run: (core) => ok({ count: core.requests() }) },
  faults: {
    method: "POST",
    run: (core, body) => {
      const fault = parseFault(body)
      core.inject(fault)
      return ok(fault, "Fault queued")
    }
  },
  clock: {
    method: "POST",
    run: (core, body) => {
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
    method: "POST",
    run: (core) => {
      core.reset()
      return ok({ now: core.clock.now().toISOString() }, "Emulator reset")
    }
  }
}

/** Handle `/__emulator/<name>`. JSON in and out, no apiKey. */
export const handleControl = async (core: EmulatorCore, request: Request, name: string): Promise<Response> => {
  const route = Object.hasOwn(routes, name) ? routes[name] : undefined
  if (route === undefined) return fail(404, `Unknown emulator control route /__emulator/${name}`)
  if (request.method !== route.method) {
    return fail(405, `Method ${request.method} is not allowed on /__emulator/${name}; use ${route.method}`, {
      allow: `${route.method}, OPTIONS`
    })
  }
  let body: Record<string, unknown> = {}
  if (route.method === "POST") {
    const bytes = await readBody(request, MAX_BODY_BYTES)
    if (bytes === TOO_LARGE) return fail(413, `Request body must not exceed ${MAX_BODY_BYTES} bytes`)
    if (bytes.byteLength > 0 || name !== "reset") {
      const parsed = parseJsonObject(bytes)
      if (!parsed.ok) return fail(400, "Request body must be a JSON object")
      body = parsed.value
    }
  }
  try {
    return route.run(core, body)
  } catch (error) {
    if (error instanceof TypeError) return fail(400, error.message)
    throw error
  }
}
