/**
 * The one factory behind every runtime adapter: given a runtime's `HttpClient` and its
 * environment, it makes the adapter's `layer`, `layerConfig`, `createClient` and `relayHandler`.
 * `@oneroute/node` and `@oneroute/deno` are this, wired to undici / `Deno.env`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import type * as ConfigProvider from "effect/ConfigProvider"
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as internal from "./internal/adapter.js"
import type { OneRoute, OneRouteOptions, RelayOptions } from "./OneRoute.js"
import type { OneRouteClient } from "./OneRouteClient.js"
import type { RelayHandler, RelayHandlerOptions } from "./Relay.js"

/**
 * What a runtime brings.
 *
 * @since 0.1.0
 */
export interface AdapterOptions {
  /** The runtime's transport. */
  readonly httpClient: Layer.Layer<HttpClient.HttpClient>
  /** Default `User-Agent` (for example `"@oneroute/node"`). */
  readonly userAgent: string
  /** Reads one environment variable; `createClient` and `relayHandler` fill missing options with it. */
  readonly getEnv: (name: string) => string | undefined
  /** Where `layerConfig` reads from; default: Effect's current `ConfigProvider` (the environment). */
  readonly configProvider?: Effect.Effect<ConfigProvider.ConfigProvider, ConfigError.ConfigError>
}

/**
 * The four entry points of a runtime adapter.
 *
 * @since 0.1.0
 */
export interface Adapter {
  readonly layer: (options: OneRouteOptions | RelayOptions) => Layer.Layer<OneRoute>
  readonly layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError>
  readonly createClient: (options?: Partial<OneRouteOptions>) => OneRouteClient
  readonly relayHandler: (options: RelayHandlerOptions & Partial<OneRouteOptions>) => RelayHandler
}

/**
 * Makes a runtime adapter.
 *
 * @since 0.1.0
 */
export const makeAdapter: (options: AdapterOptions) => Adapter = internal.makeAdapter
