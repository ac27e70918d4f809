import { InvalidOptionsError, type OneRouteOptions, type RelayOptions } from "@oneroute/core"
import * as Either from "effect/Either"

const invalid = (option: string, problem: string) => Either.left(new InvalidOptionsError({ option, problem }))

const CREDENTIALS: ReadonlySet<unknown> = new Set(["omit", "same-origin", "include"])

/** Checks `fetch` and `credentials`, the options only the browser adapter has. */
export const checkTransport = <Options extends { readonly fetch?: unknown; readonly credentials?: unknown }>(
  options: Options
): Either.Either<Options, InvalidOptionsError> => {
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    return invalid("fetch", "must be a fetch function, called as fetch(url, init)")
  }
  if (options.credentials !== undefined && !CREDENTIALS.has(options.credentials)) {
    return invalid(
      "credentials",
      `must be "omit", "same-origin" or "include", got ${JSON.stringify(String(options.credentials)).slice(0, 40)}`
    )
  }
  return Either.right(options)
}

/** The page URL relative relay URLs resolve against (`location.href` in windows and workers). */
export const pageUrl = (): string | undefined => {
  const location = (globalThis as { readonly location?: { readonly href?: unknown } }).location
  return typeof location?.href === "string" ? location.href : undefined
}

/**
 * Resolves a relay URL: a relative one (`"/oneroute/send"`) against the page's `location.href`.
 * Core then requires https (or plain http on a loopback host); URLs with credentials are
 * refused because `fetch` refuses them.
 */
export const resolveRelayUrl = (
  relayUrl: string | URL,
  base: string | undefined
): Either.Either<URL, InvalidOptionsError> => {
  const text = String(relayUrl)
  if (text.trim() === "") return invalid("relayUrl", "must not be empty")
  let url: URL
  try {
    url = new URL(text, base)
  } catch {
    return invalid(
      "relayUrl",
      base === undefined
        ? `${JSON.stringify(text)} is not an absolute URL, and there is no page location to resolve a relative one against`
        : `${JSON.stringify(text)} is not a URL`
    )
  }
  if (url.username !== "" || url.password !== "") {
    return invalid("relayUrl", "must not contain a user name or password (fetch refuses such URLs)")
  }
  return Either.right(url)
}

/** Core's relay options, with the relay URL resolved against the page. */
export const relayCoreOptions = (
  input: RelayOptions,
  base: string | undefined = pageUrl()
): Either.Either<RelayOptions, InvalidOptionsError> =>
  Either.map(resolveRelayUrl(input.relayUrl, base), (relayUrl) => ({ ...input, relayUrl }))

export const DIRECT_MODE_PROBLEM =
  "an API key passed to a browser is readable by every visitor (page source, bundle, devtools, " +
  "network tab), and anyone holding it can send WhatsApp messages as your business. Keep the key " +
  'on your server and use relay mode: createClient({ relayUrl: "/oneroute/send" }) posts to your own ' +
  "backend, which adds the key and forwards to OneRoute. Only if every " +
  "user of this page may hold the key (an internal tool, a test) pass dangerouslyAllowBrowser: true."

type Mode =
  | { readonly _tag: "Relay"; readonly options: RelayOptions }
  | { readonly _tag: "Direct"; readonly options: OneRouteOptions }

/**
 * The browser's rules for options (`AdapterOptions.prepare`): a client says its mode plainly
 * (`relayUrl`, or `apiKey` with `dangerouslyAllowBrowser: true`, never both); a relative
 * `relayUrl` resolves against the page, for clients and layers alike.
 */
export const prepare = (
  options: OneRouteOptions | RelayOptions,
  use: "client" | "layer"
): Either.Either<OneRouteOptions | RelayOptions, InvalidOptionsError> => {
  if (use === "client") return Either.map(decideMode(options), (mode) => mode.options)
  return "relayUrl" in options && options.relayUrl !== undefined ? relayCoreOptions(options) : Either.right(options)
}

const decideMode = (input: unknown): Either.Either<Mode, InvalidOptionsError> => {
  if (typeof input !== "object" || input === null) {
    return invalid(
      "relayUrl",
      "is required: createClient({ relayUrl }) posts to your own backend, which adds the API key"
    )
  }
  const options = input as Partial<RelayOptions & OneRouteOptions & { readonly dangerouslyAllowBrowser: unknown }>
  const hasKey = options.apiKey !== undefined
  if (options.relayUrl !== undefined) {
    if (hasKey) {
      return invalid(
        "apiKey",
        "must not be combined with relayUrl: in relay mode your backend adds the key, the browser never holds it"
      )
    }
    return Either.map(relayCoreOptions(options as RelayOptions), (core) => ({ _tag: "Relay", options: core }) as const)
  }
  if (!hasKey) {
    return invalid(
      "relayUrl",
      "is required: createClient({ relayUrl }) posts to your own backend, which adds the API key"
    )
  }
  if (options.dangerouslyAllowBrowser !== true) return invalid("dangerouslyAllowBrowser", DIRECT_MODE_PROBLEM)
  const { dangerouslyAllowBrowser: _flag, ...core } = options as OneRouteOptions & {
    readonly dangerouslyAllowBrowser: true
  }
  return Either.right({ _tag: "Direct", options: core })
}
