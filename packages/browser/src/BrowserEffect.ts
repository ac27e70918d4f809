/**
 * The Effect API wired to the browser: the `OneRoute` service over the page's `fetch`.
 *
 * @since 0.3.0
 */
import type { OneRouteOptions, RelayOptions } from "@oneroute/core"
import { makeEffectAdapter, type OneRoute } from "@oneroute/core/effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type { BrowserTransportOptions } from "./BrowserOneRoute.js"
import * as internal from "./internal/options.js"
import { pageTransport } from "./internal/pageTransport.js"

const browser = makeEffectAdapter<BrowserTransportOptions>({
  transport: pageTransport,
  // No default `User-Agent`: the browser sends its own, and a page-set one is a header a
  // cross-origin relay would have to allow (CORS). Only an explicit `userAgent` option is sent.
  userAgent: undefined,
  checkTransport: internal.checkTransport
})

/**
 * The `OneRoute` service over `fetch`, calling OneRoute directly with `options.apiKey` (direct
 * mode: the key is in the page; `createClient` demands `dangerouslyAllowBrowser: true` for
 * this, the layer does not), or posting under `relayUrl`. `fetch` and `credentials` choose how
 * `fetch` is called. Unusable options fail the layer with an `InvalidOptionsError` defect. For
 * relay mode with a relative `relayUrl` use {@link layerRelay}.
 *
 * @since 0.1.0
 */
export const layer: (options: (OneRouteOptions | RelayOptions) & BrowserTransportOptions) => Layer.Layer<OneRoute> =
  browser.layer

/**
 * The `OneRoute` service over `fetch` in relay mode: posts to your backend at `relayUrl`
 * (relative URLs resolve against the page) without any API key, with your `headers`,
 * `credentials` and `fetch` (see `RelayClientOptions`). Unusable options fail the layer
 * with an `InvalidOptionsError` defect.
 *
 * @since 0.1.0
 */
export const layerRelay = (options: RelayOptions & BrowserTransportOptions): Layer.Layer<OneRoute> =>
  Either.match(internal.relayCoreOptions(options), {
    onLeft: (error) => Layer.die(error),
    onRight: layer
  })
