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
import { InvalidOptionsError } from "@oneroute/core"
import { makeAdapter } from "@oneroute/core/adapter"
import type * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as environment from "./internal/environment.js"
import { ownedFetchTransport } from "./internal/transport.js"

/**
 * How Deno sends: the options `layer`, `createClient` and `relayHandler` take besides core's.
 *
 * @since 0.1.0
 */
export interface DenoTransportOptions {
  /**
   * The `fetch` to send with (a wrapper that adds tracing, a test double), called as
   * `fetch(url, init)`; `init.client` is the SDK's `Deno.HttpClient` (no idle connections, see the
   * README), so pass `init` on to Deno's `fetch`. Default: `globalThis.fetch`. Deno's `fetch`
   * honours `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` itself.
   */
  readonly fetch?: typeof globalThis.fetch
}

const deno = makeAdapter<DenoTransportOptions>({
  transport: ({ fetch }) => ownedFetchTransport(fetch),
  userAgent: "@oneroute/deno",
  getEnv: environment.getEnv,
  configProvider: environment.configProvider,
  checkTransport: ({ fetch }) =>
    fetch === undefined || typeof fetch === "function"
      ? Either.right(fetch)
      : Either.left(
          new InvalidOptionsError({ option: "fetch", problem: "must be a fetch function, called as fetch(url, init)" })
        )
})

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

/**
 * A Promise client. Options left out are read from `Deno.env` (so pass all of them to need no
 * `--allow-env`). Throws `InvalidOptionsError` at once when the options are unusable (for
 * example no API key anywhere).
 *
 * @since 0.1.0
 */
export const createClient: (options?: Partial<ClientOptions> & DenoTransportOptions) => OneRouteClient =
  deno.createClient

/**
 * The relay for browser pages, a web-standard handler: `Deno.serve(relayHandler({ allowedFrom }))`.
 * OneRoute options left out are read from `Deno.env`. Throws `InvalidOptionsError` at once when
 * the options are unusable.
 *
 * @since 0.1.0
 */
export const relayHandler: (
  options: RelayHandlerOptions & Partial<OneRouteOptions> & DenoTransportOptions
) => RelayHandler = deno.relayHandler
