/**
 * `OneRoute` wired to Node: undici transport, options from `process.env`.
 *
 * @since 0.1.0
 */
import {
  makeClientWith,
  OneRoute,
  type OneRouteClient,
  type OneRouteOptions,
  optionsWithEnvironment,
  type RelayOptions
} from "@oneroute/core"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as NodeHttpClient from "./NodeHttpClient.js"

const USER_AGENT = "@oneroute/node"

/**
 * The `OneRoute` service over undici with a keep-alive connection pool (direct mode with
 * `apiKey`, or relay mode with `relayUrl`).
 *
 * @since 0.1.0
 */
export const layer = (options: OneRouteOptions | RelayOptions): Layer.Layer<OneRoute> =>
  OneRoute.layer(options, USER_AGENT).pipe(Layer.provide(NodeHttpClient.layer))

/**
 * The `OneRoute` service with options from the environment: `ONEROUTE_API_KEY` (required),
 * `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT` (milliseconds or e.g. `"10 seconds"`).
 *
 * @since 0.1.0
 */
export const layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError> = OneRoute.layerConfig(
  undefined,
  USER_AGENT
).pipe(Layer.provide(NodeHttpClient.layer))

/**
 * A Promise client. Options left out are read from `process.env`. Throws `InvalidOptionsError`
 * at once when the options are unusable (for example no API key anywhere).
 *
 * @since 0.1.0
 */
export const createClient = (options: Partial<OneRouteOptions> = {}): OneRouteClient =>
  makeClientWith(
    optionsWithEnvironment(options, (name) => process.env[name]),
    layer
  )
