/**
 * `OneRoute` wired to the browser: `fetch` transport, relay mode by default.
 *
 * @since 0.1.0
 */
import {
  type InvalidOptionsError,
  makeClient,
  OneRoute,
  type OneRouteClient,
  type OneRouteOptions,
  type RetryOptions,
  validateOptions
} from "@oneroute/core"
import type * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as internal from "./internal/options.js"
import { directHttpClient, relayHttpClient } from "./internal/transport.js"

const USER_AGENT = "@oneroute/browser"

/**
 * Relay mode (recommended): the browser posts to your own backend, which adds the API key and
 * answers with OneRoute's envelope. The request goes to `<relayUrl>/api/public/conversation/text`
 * (`relayUrl` is a base, like `baseUrl`) and carries no `apiKey` header.
 * `relayUrl` may be relative (resolved against `location.href`), an https URL, or http on a
 * loopback host.
 *
 * @since 0.1.0
 */
export interface RelayClientOptions {
  /** Your backend's relay, e.g. `"/oneroute"` or `"https://api.example.com/oneroute"`. */
  readonly relayUrl: string | URL
  /** How long one attempt may take, body included. Default 30 seconds. */
  readonly timeout?: Duration.DurationInput
  /** Retry policy, or `false` for none. Default: up to 2 retries of failures that certainly sent nothing. */
  readonly retry?: RetryOptions | false
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

const orThrow = <A>(either: Either.Either<A, InvalidOptionsError>): A => Either.getOrThrowWith(either, (error) => error)

/**
 * The `OneRoute` service over `fetch`, calling OneRoute directly with `options.apiKey` (direct
 * mode: the key is in the page; `createClient` demands `dangerouslyAllowBrowser: true` for
 * this, the layer does not). Unusable options fail the layer with an `InvalidOptionsError`
 * defect. For relay mode use {@link layerRelay}.
 *
 * @since 0.1.0
 */
export const layer = (options: OneRouteOptions): Layer.Layer<OneRoute> =>
  OneRoute.layer(options, USER_AGENT).pipe(Layer.provide(directHttpClient))

/**
 * The `OneRoute` service over `fetch` in relay mode: posts to your backend at `relayUrl`
 * without any API key. An unusable `relayUrl` fails the layer with an `InvalidOptionsError` defect.
 *
 * @since 0.1.0
 */
export const layerRelay = (
  input: Omit<RelayClientOptions, "apiKey" | "dangerouslyAllowBrowser">
): Layer.Layer<OneRoute> =>
  Either.match(internal.relayCoreOptions(input), {
    onLeft: (error) => Layer.die(error) as Layer.Layer<OneRoute>,
    onRight: (core) => OneRoute.layer(core, USER_AGENT).pipe(Layer.provide(relayHttpClient))
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
  const mode = orThrow(internal.resolveMode(options))
  const checked = orThrow(validateOptions(mode.options))
  return makeClient(
    mode._tag === "Relay" ? OneRoute.layer(checked, USER_AGENT).pipe(Layer.provide(relayHttpClient)) : layer(checked)
  )
}
