import { InvalidOptionsError, type OneRouteOptions, type RetryOptions } from "@oneroute/core"
import type * as Duration from "effect/Duration"
import * as Either from "effect/Either"

/** Relay-mode options as `createClient` and `layerRelay` take them. */
export interface RelayInput {
  readonly relayUrl: string | URL
  readonly timeout?: Duration.DurationInput
  readonly retry?: RetryOptions | false
}

/**
 * The core requires a non-empty `apiKey` and always sends it as the `apiKey` header. In relay
 * mode there is no key in the browser, so the core gets this placeholder and the relay
 * transport (`transport.ts`) deletes the `apiKey` header before `fetch`: neither the
 * placeholder nor any key ever leaves the page. Remove both once the core has a key-less mode.
 */
export const RELAY_PLACEHOLDER_KEY = "oneroute-browser-relay-mode-no-key"

const invalid = (option: string, problem: string) => Either.left(new InvalidOptionsError({ option, problem }))

const isLoopback = (hostname: string) =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname)

/** The page URL relative relay URLs resolve against (`location.href` in windows and workers). */
export const pageUrl = (): string | undefined => {
  const location = (globalThis as { readonly location?: { readonly href?: unknown } }).location
  return typeof location?.href === "string" ? location.href : undefined
}

/**
 * Resolves a relay URL. Accepted: a relative URL (`"/oneroute"`), resolved against the page's
 * `location.href`; an absolute `https:` URL (another origin needs CORS on the relay); plain
 * `http:` only on a loopback host (local development). Rejected: other schemes, plain http to
 * other hosts (message text and numbers would travel unencrypted), and URLs with credentials.
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
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    return invalid(
      "relayUrl",
      `must use https (plain http is allowed only for loopback hosts such as localhost), got ${url.origin === "null" ? url.protocol : url.origin}`
    )
  }
  if (url.username !== "" || url.password !== "") {
    return invalid("relayUrl", "must not contain a user name or password (fetch refuses such URLs)")
  }
  return Either.right(url)
}

/** The core options for relay mode: the relay as base URL and the placeholder key (see above). */
export const relayCoreOptions = (
  input: RelayInput,
  base: string | undefined = pageUrl()
): Either.Either<OneRouteOptions, InvalidOptionsError> =>
  Either.map(resolveRelayUrl(input.relayUrl, base), (url) => ({
    apiKey: RELAY_PLACEHOLDER_KEY,
    baseUrl: url,
    ...(input.timeout === undefined ? {} : { timeout: input.timeout }),
    ...(input.retry === undefined ? {} : { retry: input.retry })
  }))

export const DIRECT_MODE_PROBLEM =
  "an API key passed to a browser is readable by every visitor (page source, bundle, devtools, " +
  "network tab), and anyone holding it can send WhatsApp messages as your business. Keep the key " +
  'on your server and use relay mode: createClient({ relayUrl: "/oneroute" }) posts to your own ' +
  "backend (relayHandler from @oneroute/node or @oneroute/deno), which adds the key. Only if every " +
  "user of this page may hold the key (an internal tool, a test) pass dangerouslyAllowBrowser: true."

export type Mode =
  | { readonly _tag: "Relay"; readonly options: OneRouteOptions }
  | { readonly _tag: "Direct"; readonly options: OneRouteOptions }

/** Decides the mode of `createClient`'s options and checks the browser-specific rules. */
export const resolveMode = (input: unknown): Either.Either<Mode, InvalidOptionsError> => {
  if (typeof input !== "object" || input === null) {
    return invalid(
      "relayUrl",
      "is required: createClient({ relayUrl }) posts to your own backend, which adds the API key"
    )
  }
  const options = input as Partial<RelayInput & OneRouteOptions & { readonly dangerouslyAllowBrowser: unknown }>
  const hasKey = options.apiKey !== undefined
  if (options.relayUrl !== undefined) {
    if (hasKey) {
      return invalid(
        "apiKey",
        "must not be combined with relayUrl: in relay mode your backend adds the key, the browser never holds it"
      )
    }
    return Either.map(relayCoreOptions(options as RelayInput), (core) => ({ _tag: "Relay", options: core }) as const)
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
