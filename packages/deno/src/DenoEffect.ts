/**
 * The Effect API wired to Deno: the `OneRoute` service over Deno's `fetch`, options from
 * `Deno.env` for `layerConfig`.
 *
 * @since 0.3.0
 */
import type { OneRouteOptions, RelayOptions } from "@oneroute/core"
import { makeEffectAdapter, type OneRoute } from "@oneroute/core/effect"
import type * as ConfigError from "effect/ConfigError"
import type * as Layer from "effect/Layer"
import type { DenoTransportOptions } from "./DenoOneRoute.js"
import { configProvider } from "./internal/configProvider.js"
import { denoTransport } from "./internal/denoTransport.js"

const deno = makeEffectAdapter<DenoTransportOptions>({ ...denoTransport, configProvider })

/**
 * The `OneRoute` service over Deno's `fetch` (direct mode with `apiKey`, or relay mode with
 * `relayUrl`), with a connection pool closed when the layer ends.
 *
 * @since 0.1.0
 */
export const layer: (options: (OneRouteOptions | RelayOptions) & DenoTransportOptions) => Layer.Layer<OneRoute> =
  deno.layer

/**
 * The `OneRoute` service with options from `Deno.env`, read when the layer is built:
 * `ONEROUTE_API_KEY` (required), `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT` (milliseconds or e.g.
 * `"10 seconds"`). Needs `--allow-env` for those three names.
 *
 * @since 0.1.0
 */
export const layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError> = deno.layerConfig
