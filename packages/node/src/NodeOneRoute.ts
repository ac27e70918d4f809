/**
 * The Promise API wired to Node: undici transport, options from `process.env`. Loads no Effect
 * runtime and no `effect/Schema`; the Effect API is `@oneroute/node/effect`.
 *
 * @since 0.1.0
 */
import type {
  ClientOptions,
  OneRouteClient,
  OneRouteOptions,
  RelayClientOptions,
  RelayHandler,
  RelayHandlerOptions
} from "@oneroute/core"
import { createClientFor, relayHandlerFor } from "@oneroute/core/adapter"
import type { Dispatcher } from "undici"
import { nodeTransport } from "./internal/nodeTransport.js"

/**
 * How Node sends: the options `layer`, `createClient` and `relayHandler` take besides core's.
 *
 * @since 0.1.0
 */
export interface NodeTransportOptions {
  /**
   * The undici dispatcher to send through (an `Agent` with your TLS or connection settings, a
   * `ProxyAgent`, an `EnvHttpProxyAgent`, a `MockAgent`). You own it: the SDK never closes it.
   * Default: a keep-alive `Agent` of the SDK's own, closed with the client or layer, that goes
   * through the proxy named by `HTTPS_PROXY` / `HTTP_PROXY` (bypassed for the hosts in
   * `NO_PROXY`) when one is set. Pass `new Agent()` to ignore those variables.
   */
  readonly dispatcher?: Dispatcher
}

/**
 * A Promise client, direct (`apiKey`, `baseUrl`) or through your relay (`relayUrl`). In direct
 * mode, options left out are read from `process.env`; durations are milliseconds
 * (`timeout: 10_000`). `dispatcher` picks the undici dispatcher (default: the SDK's own, which
 * honours `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`). Throws `InvalidOptionsError` at once when
 * the options are unusable (for example no API key anywhere, or one ending with a newline).
 *
 * @since 0.1.0
 */
export const createClient: (
  options?: (Partial<ClientOptions> | RelayClientOptions) & NodeTransportOptions
) => OneRouteClient = createClientFor(nodeTransport)

/**
 * The relay for browser pages, a web-standard `(request: Request) => Promise<Response>`. OneRoute
 * options left out are read from `process.env`. Throws `InvalidOptionsError` at once when the
 * options are unusable. Serve it with {@link toNodeListener}.
 *
 * @since 0.1.0
 */
export const relayHandler: (
  options: RelayHandlerOptions & Partial<OneRouteOptions> & NodeTransportOptions
) => RelayHandler = relayHandlerFor(nodeTransport)
