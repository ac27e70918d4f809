/**
 * `OneRoute` wired to the browser: `fetch` transport, relay mode by default.
 *
 * @since 0.1.0
 */

import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { makeClientWith, OneRoute, type OneRouteClient, type OneRouteOptions, type RelayOptions } from "@oneroute/core"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as internal from "./internal/options.js"

/**
 * Relay mode (recommended): the browser posts to your own backend, which
 * adds the API key and answers with OneRoute's envelope. The request goes to `relayUrl` as is
 * and carries no `apiKey` header. `relayUrl` may be relative (resolved against
 * `location.href`), an https URL, or http on a loopback host.
 *
 * @since 0.1.0
 */
export interface RelayClientOptions extends RelayOptions {
  /** Not in relay mode: the key stays on your server. */
  readonly apiKey?: never
  /** Not in relay mode. */
  readonly dangerouslyAllowBrowser?: never
}

/**
 * Direct mode: the browser calls OneRoute with the API key itself, so every visitor can read
 * the key. Only for pages whose every user may hold it (internal tools, tests).
 *
 * @since 0.1.0
 */
export interface DirectClientOptions extends OneRouteOptions {
  /** Must be `true`: you accept that the API key is exposed to everyone who loads the page. */
  readonly dangerouslyAllowBrowser: true
  /** Not in direct mode. */
  readonly relayUrl?: never
}

/**
 * The options of {@link createClient}: relay mode or direct mode.
 *
 * @since 0.1.0
 */
export type BrowserClientOptions = RelayClientOptions | DirectClientOptions

/**
 * The `OneRoute` service over `fetch`, calling OneRoute directly with `options.apiKey` (direct
 * mode: the key is in the page; `createClient` demands `dangerouslyAllowBrowser: true` for
 * this, the layer does not). Unusable options fail the layer with an `InvalidOptionsError`
 * defect. For relay mode use {@link layerRelay}.
 *
 * @since 0.1.0
 */
export const layer = (options: OneRouteOptions | RelayOptions): Layer.Layer<OneRoute> =>
  OneRoute.layer(options).pipe(Layer.provide(FetchHttpClient.layer))

/**
 * The `OneRoute` service over `fetch` in relay mode: posts to your backend at `relayUrl`
 * without any API key. An unusable `relayUrl` fails the layer with an `InvalidOptionsError` defect.
 *
 * @since 0.1.0
 */
export const layerRelay = (options: RelayOptions): Layer.Layer<OneRoute> =>
  Either.match(internal.relayCoreOptions(options), {
    onLeft: (error) => Layer.die(error),
    onRight: layer
  })

/**
 * A Promise client. `createClient({ relayUrl })` (relay mode) or
 * `createClient({ apiKey, dangerouslyAllowBrowser: true })` (direct mode). Throws
 * `InvalidOptionsError` at once when the options are unusable, including an `apiKey` without
 * `dangerouslyAllowBrowser: true`.
 *
 * @since 0.1.0
 */
export const createClient = (options: BrowserClientOptions): OneRouteClient => {
  const mode = Either.getOrThrowWith(internal.resolveMode(options), (error) => error)
  return makeClientWith(mode.options, layer)
}
