/**
 * `OneRoute` wired to Deno: `fetch` on a `Deno.HttpClient`, options from `Deno.env`.
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
import * as environment from "./internal/environment.js"
import * as DenoHttpClient from "./internal/httpClient.js"

const deno = makeAdapter({
  httpClient: DenoHttpClient.layer,
  userAgent: "@oneroute/deno",
  getEnv: environment.getEnv,
  configProvider: environment.configProvider
})

/**
 * The `OneRoute` service over Deno's `fetch` (direct mode with `apiKey`, or relay mode with
 * `relayUrl`), with a connection pool closed when the layer ends.
 *
 * @since 0.1.0
 */
export const layer: (options: OneRouteOptions | RelayOptions) => Layer.Layer<OneRoute> = deno.layer

/**
 * The `OneRoute` service with options from `Deno.env`, read when the layer is built:
 * `ONEROUTE_API_KEY` (required), `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT` (milliseconds or e.g.
 * `"10 seconds"`). Needs `--allow-env` for those three names.
 *
 * @since 0.1.0
 */
export const layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError> = deno.layerConfig

/**
 * A Promise client. Options left out are read from `Deno.env` (so pass all of them to need no
 * `--allow-env`). Throws `InvalidOptionsError` at once when the options are unusable (for
 * example no API key anywhere).
 *
 * @since 0.1.0
 */
export const createClient: (options?: Partial<ClientOptions>) => OneRouteClient = deno.createClient

/**
 * The relay for browser pages, a web-standard handler: `Deno.serve(relayHandler({ allowedFrom }))`.
 * OneRoute options left out are read from `Deno.env`. Throws `InvalidOptionsError` at once when
 * the options are unusable.
 *
 * @since 0.1.0
 */
export const relayHandler: (options: RelayHandlerOptions & Partial<OneRouteOptions>) => RelayHandler = deno.relayHandler
