/**
 * `OneRoute` wired to Node: undici transport, options from `process.env`.
 *
 * @since 0.1.0
 */
import type {
  ClientOptions,
  OneRoute,
  OneRouteClient,
  OneRouteOptions,
  RelayHandler,
  RelayHandlerOptions,
  RelayOptions
} from "@oneroute/core"
import { InvalidOptionsError } from "@oneroute/core"
import { makeAdapter } from "@oneroute/core/adapter"
import type * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import type { Dispatcher } from "undici"
import { ownedUndiciTransport } from "./internal/undiciTransport.js"

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

const node = makeAdapter<NodeTransportOptions>({
  transport: ({ dispatcher }) => ownedUndiciTransport(dispatcher),
  userAgent: "@oneroute/node",
  getEnv: (name) => process.env[name],
  checkTransport: ({ dispatcher }) =>
    dispatcher === undefined ||
    (typeof dispatcher === "object" && dispatcher !== null && typeof dispatcher.dispatch === "function")
      ? Either.right(dispatcher)
      : Either.left(
          new InvalidOptionsError({
            option: "dispatcher",
            problem: "must be an undici Dispatcher (an Agent, ProxyAgent, Pool, …) with a dispatch method"
          })
        )
})

/**
 * The `OneRoute` service over undici (direct mode with `apiKey`, or relay mode with `relayUrl`):
 * through your `dispatcher`, or a keep-alive connection pool of its own that honours
 * `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (see {@link NodeTransportOptions}).
 *
 * @since 0.1.0
 */
export const layer: (options: (OneRouteOptions | RelayOptions) & NodeTransportOptions) => Layer.Layer<OneRoute> =
  node.layer

/**
 * The `OneRoute` service with options from the environment: `ONEROUTE_API_KEY` (required),
 * `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT` (milliseconds or e.g. `"10 seconds"`).
 *
 * @since 0.1.0
 */
export const layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError> = node.layerConfig

/**
 * A Promise client. Options left out are read from `process.env`; durations are milliseconds
 * (`timeout: 10_000`). `dispatcher` picks the undici dispatcher (default: the SDK's own, which
 * honours `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`). Throws `InvalidOptionsError` at once when
 * the options are unusable (for example no API key anywhere, or one ending with a newline).
 *
 * @since 0.1.0
 */
export const createClient: (options?: Partial<ClientOptions> & NodeTransportOptions) => OneRouteClient =
  node.createClient

/**
 * The relay for browser pages, a web-standard `(request: Request) => Promise<Response>`. OneRoute
 * options left out are read from `process.env`. Throws `InvalidOptionsError` at once when the
 * options are unusable. Serve it with {@link toNodeListener}.
 *
 * @since 0.1.0
 */
export const relayHandler: (
  options: RelayHandlerOptions & Partial<OneRouteOptions> & NodeTransportOptions
) => RelayHandler = node.relayHandler
