/**
 * The SDK's own undici dispatcher: a keep-alive `Agent`, or an `EnvHttpProxyAgent` when a proxy
 * variable is set (undici's `fetch` and `request` ignore `HTTPS_PROXY` unless told).
 */
import { Agent, type Dispatcher, EnvHttpProxyAgent } from "undici"

/**
 * Options of the SDK's own `Agent`:
 * - unlimited connections per origin, keep-alive sockets idle for up to 10 s;
 * - undici's own header/body timeouts are disabled so that the engine's per-attempt timeout
 *   (which aborts the request) is the single source of timeouts.
 */
const agentOptions: Agent.Options = {
  connections: null,
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
  headersTimeout: 0,
  bodyTimeout: 0
}

/** The variables that name a proxy, as curl and undici read them (lower case first). */
export const PROXY_VARIABLES = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"] as const

/**
 * The default dispatcher: undici's `EnvHttpProxyAgent` when the environment names a proxy
 * (`HTTPS_PROXY` for https targets, `HTTP_PROXY` for http ones and as the fallback, `NO_PROXY`
 * for hosts that bypass it; requests tunnel through the proxy with `CONNECT`), a plain keep-alive
 * `Agent` otherwise. Read when the client or layer is made.
 */
export const defaultDispatcher = (env: Readonly<Record<string, string | undefined>> = process.env): Dispatcher =>
  PROXY_VARIABLES.some((name) => (env[name] ?? "") !== "")
    ? new EnvHttpProxyAgent({ ...agentOptions, ...proxyFrom(env) })
    : new Agent(agentOptions)

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"])

/** Whether `NO_PROXY` lets `host` bypass the proxy (`*`, the host itself, or a domain suffix). */
const bypasses = (noProxy: string, host: string): boolean =>
  noProxy
    .split(/[\s,]+/)
    .map((entry) =>
      entry
        .replace(/:\d+$/, "")
        .replace(/^\*?\./, "")
        .toLowerCase()
    )
    .some(
      (entry) => entry === "*" || entry === host || entry === host.replace(/^\[|\]$/g, "") || host.endsWith(`.${entry}`)
    )

/** A proxy URL as it may be shown: without its user name and password. */
const shown = (proxy: string): string => {
  try {
    const url = new URL(proxy)
    url.username = ""
    url.password = ""
    return url.href
  } catch {
    return "(not a URL)"
  }
}

/**
 * Why a failed send to a loopback host may never have reached it: the default dispatcher sent it
 * to the proxy the environment names, which cannot reach this machine's loopback. `undefined`
 * when no proxy applies.
 */
export const proxyHint = (
  target: string,
  env: Readonly<Record<string, string | undefined>> = process.env
): string | undefined => {
  const { protocol, host, hostname } = new URL(target)
  if (!LOOPBACK_HOSTS.has(hostname.toLowerCase()) && !hostname.startsWith("127.")) return undefined
  const { httpProxy, httpsProxy, noProxy } = proxyFrom(env)
  const proxy = protocol === "https:" ? httpsProxy : httpProxy
  if (proxy === undefined || bypasses(noProxy ?? "", hostname.toLowerCase())) return undefined
  const variable = protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY"
  return (
    `this send to ${host} went through the proxy ${shown(proxy)} named by ${variable}, which cannot reach this ` +
    "machine's loopback: add the host to NO_PROXY (NO_PROXY=localhost,127.0.0.1,::1), or pass dispatcher: new Agent()"
  )
}

/** The proxy settings of `env` (undici itself reads `process.env`, which may differ). */
const proxyFrom = (env: Readonly<Record<string, string | undefined>>): EnvHttpProxyAgent.Options => {
  const first = (...names: ReadonlyArray<string>) =>
    names.map((name) => env[name]).find((value) => value !== undefined && value !== "")
  const httpProxy = first("http_proxy", "HTTP_PROXY")
  const httpsProxy = first("https_proxy", "HTTPS_PROXY") ?? httpProxy
  const noProxy = first("no_proxy", "NO_PROXY")
  return {
    ...(httpProxy === undefined ? {} : { httpProxy }),
    ...(httpsProxy === undefined ? {} : { httpsProxy }),
    noProxy: noProxy ?? ""
  }
}
