/**
 * `OneRoute` wired to Deno: `fetch` on a `Deno.HttpClient`, options from `Deno.env`.
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
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as environment from "./internal/environment.js"
import * as DenoHttpClient from "./internal/httpClient.js"

const USER_AGENT = "@oneroute/deno"

/**
 * The `OneRoute` service over Deno's `fetch` (direct mode with `apiKey`, or relay mode with
 * `relayUrl`), with a connection pool closed when the layer ends.
 *
 * @since 0.1.0
 */
export const layer = (options: OneRouteOptions | RelayOptions): Layer.Layer<OneRoute> =>
  OneRoute.layer(options, USER_AGENT).pipe(Layer.provide(DenoHttpClient.layer))

/**
 * The `OneRoute` service with options from `Deno.env`, read when the layer is built:
 * `ONEROUTE_API_KEY` (required), `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT` (milliseconds or e.g.
 * `"10 seconds"`). Needs `--allow-env` for those three names.
 *
 * @since 0.1.0
 */
export const layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError> = OneRoute.layerConfig(
  undefined,
  USER_AGENT
).pipe(
  Layer.provide(DenoHttpClient.layer),
  Layer.provide(Layer.unwrapEffect(Effect.map(environment.configProvider, Layer.setConfigProvider)))
)

/**
 * A Promise client. Options left out are read from `Deno.env` (so pass all of them to need no
 * `--allow-env`). Throws `InvalidOptionsError` at once when the options are unusable (for
 * example no API key anywhere).
 *
 * @since 0.1.0
 */
export const createClient = (options: Partial<OneRouteOptions> = {}): OneRouteClient =>
  makeClientWith(optionsWithEnvironment(options, environment.getEnv), layer)
