/**
 * The Effect API wired to the browser: the `OneRoute` service over the page's `fetch`.
 *
 * @since 0.3.0
 */
import type { OneRouteOptions, RelayOptions } from "@oneroute/core"
import { makeEffectAdapter, type OneRoute } from "@oneroute/core/effect"
import type * as ConfigError from "effect/ConfigError"
import type * as Layer from "effect/Layer"
import type { BrowserTransportOptions } from "./BrowserOneRoute.js"
import { browserTransport } from "./internal/browserTransport.js"

const browser = makeEffectAdapter<BrowserTransportOptions>(browserTransport)

/**
 * The `OneRoute` service over `fetch`: posting under `relayUrl` (relay mode; a relative URL
 * resolves against the page) without any API key, or calling OneRoute directly with
 * `options.apiKey` (direct mode: the key is in the page; `createClient` demands
 * `dangerouslyAllowBrowser: true` for this, the layer does not). `fetch` and `credentials` choose
 * how `fetch` is called. Unusable options fail the layer with an `InvalidOptionsError` defect.
 *
 * @since 0.1.0
 */
export const layer: (options: (OneRouteOptions | RelayOptions) & BrowserTransportOptions) => Layer.Layer<OneRoute> =
  browser.layer

/**
 * The `OneRoute` service with options from Effect's current `ConfigProvider` (a page has no
 * environment: provide one with `Layer.setConfigProvider`): `ONEROUTE_API_KEY` (required),
 * `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT`. Direct mode: the key is in the page.
 *
 * @since 0.4.0
 */
export const layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError> = browser.layerConfig
