import { InvalidOptionsError } from "../../Errors.js"
import type { RelayHandlerOptions } from "../../Relay.js"

/** Decides which page origins may call the relay. `true` for requests that come from no page. */
export type OriginPolicy = (request: Request) => boolean

const originOf = (option: string, input: string | URL): string => {
  try {
    const origin = new URL(input).origin
    if (origin !== "null") return origin
  } catch {
    // reported below
  }
  throw new InvalidOptionsError({ option, problem: `${JSON.stringify(String(input))} is not an http(s) URL` })
}

/** The first value of a forwarded header (proxies append with commas). */
const firstValue = (header: string | null): string | undefined => header?.split(",")[0]?.trim() || undefined

/**
 * The origin a trusted proxy says the page used. `Host` alone is never trusted: it is whatever
 * the client (or a DNS-rebinding page) sent.
 */
const forwardedOrigin = (request: Request): string | undefined => {
  const proto = firstValue(request.headers.get("x-forwarded-proto"))
  const host = firstValue(request.headers.get("x-forwarded-host"))
  if ((proto !== "http" && proto !== "https") || host === undefined) return undefined
  try {
    return new URL(`${proto}://${host}`).origin
  } catch {
    return undefined
  }
}

/** Builds the relay's origin policy from its options; throws `InvalidOptionsError` when none is set. */
export const makeOriginPolicy = (options: RelayHandlerOptions): OriginPolicy => {
  const allowed = new Set((options.allowedOrigins ?? []).map((origin) => originOf("allowedOrigins", origin)))
  if (options.publicUrl !== undefined) allowed.add(originOf("publicUrl", options.publicUrl))
  const trustProxy = options.trustProxy === true
  if (allowed.size === 0 && !trustProxy) {
    throw new InvalidOptionsError({
      option: "publicUrl",
      problem:
        "say which pages may call the relay: publicUrl (the URL pages use to reach it), allowedOrigins, " +
        "or trustProxy: true behind a proxy that sets X-Forwarded-Proto and X-Forwarded-Host"
    })
  }
  return (request) => {
    const origin = request.headers.get("origin")
    // No Origin: not a browser page (a server, curl); `authorize` decides for those.
    if (origin === null) return true
    return allowed.has(origin) || (trustProxy && origin === forwardedOrigin(request))
  }
}

/** How many distinct refused origins are logged: a page that floods the relay cannot flood the log. */
const MAX_LOGGED_ORIGINS = 100

/**
 * What a refused page and the server's log read: the origin refused and the option that allows
 * it. Each distinct origin is logged once (at most {@link MAX_LOGGED_ORIGINS}), on `console.warn`.
 */
export const makeOriginRefusal = (options: RelayHandlerOptions) => {
  const logged = new Set<string>()
  return (request: Request): string => {
    const origin = JSON.stringify((request.headers.get("origin") ?? "").slice(0, 200))
    const message =
      `The relay refuses pages of origin ${origin}: to allow them, add that origin to the relay's allowedOrigins option` +
      (options.publicUrl === undefined ? " (or set publicUrl to the URL pages use to reach the relay)" : "") +
      ", on the server"
    if (logged.size < MAX_LOGGED_ORIGINS && !logged.has(origin)) {
      logged.add(origin)
      console.warn(`@oneroute relay: ${message}`)
    }
    return message
  }
}
