/**
 * The Promise API wired to Deno: `fetch` on a `Deno.HttpClient`, options from `Deno.env`. Loads
 * no Effect runtime and no `effect/Schema`; the Effect API is `@oneroute/deno/effect`.
 *
 * @since 0.1.0
 */
import type {
  ClientOptions,
  OneRouteClient,
  OneRouteOptions,
  RelayClientOptions,
  RelayHandler,
  RelayHandlerOptions
} from "@oneroute/core"
import { createClientFor, relayHandlerFor } from "@oneroute/core/adapter"
import { denoTransport } from "./internal/denoTransport.js"

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

/**
 * A Promise client, direct (`apiKey`, `baseUrl`) or through your relay (`relayUrl`). In direct
 * mode, options left out are read from `Deno.env` (so pass all of them to need no `--allow-env`);
 * relay mode reads no environment. Durations are milliseconds (`timeout: 10_000`). Throws
 * `InvalidOptionsError` at once when the options are unusable (for example no API key anywhere).
 *
 * @since 0.1.0
 */
export const createClient: (
  options?: (Partial<ClientOptions> | RelayClientOptions) & DenoTransportOptions
) => OneRouteClient = createClientFor(denoTransport)

/**
 * The relay for browser pages, a web-standard handler: `Deno.serve(relayHandler({ allowedFrom }))`.
 * OneRoute options left out are read from `Deno.env`. Throws `InvalidOptionsError` at once when
 * the options are unusable.
 *
 * @since 0.1.0
 */
export const relayHandler: (
  options: RelayHandlerOptions & Partial<OneRouteOptions> & DenoTransportOptions
) => RelayHandler = relayHandlerFor(denoTransport)
