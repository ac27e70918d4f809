/**
 * The Promise API wired to the browser: `fetch` transport, relay mode by default. Loads no Effect
 * runtime and no `effect/Schema`; the Effect API (`layer`, `layerConfig`) is
 * `@oneroute/browser/effect`. Built like the Node and Deno adapters (`createClientFor` over the
 * page's `fetch`, with the browser's own rules for options and no environment), without a relay.
 *
 * @since 0.1.0
 */

import type { ClientOptions, ClientRetryOptions, OneRouteClient, RelayOptions, RequestHeaders } from "@oneroute/core"
import { createClientFor } from "@oneroute/core/adapter"
import { browserTransport } from "./internal/browserTransport.js"

/**
 * How the page's `fetch` is called; both modes accept these.
 *
 * @since 0.1.0
 */
export interface BrowserTransportOptions {
  /**
   * `fetch`'s `credentials` for every send: `"include"` sends the page's cookies (and HTTP
   * authentication) to a relay on another origin, which must then answer CORS with
   * `Access-Control-Allow-Credentials: true` and the page's exact origin. Default: not set, so
   * `fetch`'s own default applies (`"same-origin"`: cookies go to a same-origin relay only).
   */
  readonly credentials?: RequestCredentials
  /**
   * The `fetch` to send with, called as `fetch(url, init)` (a wrapper that adds tracing, a test
   * double, a polyfill). Default: `globalThis.fetch`, looked up at each send.
   */
  readonly fetch?: typeof globalThis.fetch
}

/**
 * Relay mode (recommended): the browser posts to your own backend, which
 * adds the API key and answers with OneRoute's envelope. Each send posts to its endpoint's path
 * under `relayUrl` (`/oneroute` → `/oneroute/api/public/conversation/text`), without any `apiKey`
 * header. `relayUrl` may be relative (resolved against
 * `location.href`), an https URL, or http on a loopback host.
 *
 * @since 0.1.0
 */
export interface RelayClientOptions extends RelayOptions, BrowserTransportOptions {
  /** How long one attempt may take, body included, in milliseconds. Default 30000. */
  readonly timeout?: number
  /** Retry policy (delays in milliseconds), or `false` for none. Default: up to 2 retries of failures that certainly sent nothing. */
  readonly retry?: ClientRetryOptions | false
  /**
   * Headers for your relay with every send: a record, or a function returning one (or a
   * Promise of one) called before every request, retries included, for a bearer or CSRF token
   * (`() => ({ authorization: "Bearer " + getToken() })`). They can never replace the SDK's own
   * `content-type`, `idempotency-key` or `apikey` (those names are ignored). A relay on another
   * origin must allow them in its CORS answer (`Access-Control-Allow-Headers`). If the function
   * throws or rejects, the send rejects with that error and nothing is sent. Default: none.
   */
  readonly headers?: RequestHeaders
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
export interface DirectClientOptions extends ClientOptions, BrowserTransportOptions {
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
 * A Promise client. `createClient({ relayUrl })` (relay mode) or
 * `createClient({ apiKey, dangerouslyAllowBrowser: true })` (direct mode). Throws
 * `InvalidOptionsError` at once when the options are unusable, including an `apiKey` without
 * `dangerouslyAllowBrowser: true`.
 *
 * @since 0.1.0
 */
export const createClient = createClientFor(browserTransport) as (options: BrowserClientOptions) => OneRouteClient
