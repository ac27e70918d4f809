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
import { makeAdapter } from "@oneroute/core/adapter"
import type * as ConfigError from "effect/ConfigError"
import type * as Layer from "effect/Layer"
import * as NodeHttpClient from "./NodeHttpClient.js"

const node = makeAdapter({
  httpClient: NodeHttpClient.layer,
  userAgent: "@oneroute/node",
  getEnv: (name) => process.env[name]
})

/**
 * The `OneRoute` service over undici with a keep-alive connection pool (direct mode with
 * `apiKey`, or relay mode with `relayUrl`).
 *
 * @since 0.1.0
 */
export const layer: (options: OneRouteOptions | RelayOptions) => Layer.Layer<OneRoute> = node.layer

/**
 * The `OneRoute` service with options from the environment: `ONEROUTE_API_KEY` (required),
 * `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT` (milliseconds or e.g. `"10 seconds"`).
 *
 * @since 0.1.0
 */
export const layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError> = node.layerConfig

/**
 * A Promise client. Options left out are read from `process.env`. Throws `InvalidOptionsError`
 * at once when the options are unusable (for example no API key anywhere).
 *
 * @since 0.1.0
 */
export const createClient: (options?: Partial<ClientOptions>) => OneRouteClient = node.createClient

/**
 * The relay for browser pages, a web-standard `(request: Request) => Promise<Response>`. OneRoute
 * options left out are read from `process.env`. Throws `InvalidOptionsError` at once when the
 * options are unusable. Serve it with {@link toNodeListener}.
 *
 * @since 0.1.0
 */
export const relayHandler: (options: RelayHandlerOptions & Partial<OneRouteOptions>) => RelayHandler = node.relayHandler
