/**
 * The Effect API wired to Node: the `OneRoute` service over undici.
 *
 * @since 0.3.0
 */
import type { OneRouteOptions, RelayOptions } from "@oneroute/core"
import { makeEffectAdapter, type OneRoute } from "@oneroute/core/effect"
import type * as ConfigError from "effect/ConfigError"
import type * as Layer from "effect/Layer"
import { nodeTransport } from "./internal/nodeTransport.js"
import type { NodeTransportOptions } from "./NodeOneRoute.js"

const node = makeEffectAdapter<NodeTransportOptions>(nodeTransport)

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
