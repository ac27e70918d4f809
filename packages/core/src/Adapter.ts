/**
 * `@oneroute/core/adapter`: what a runtime adapter is built from. Applications do not need this
 * module (the adapters' `layer`, `layerConfig`, `createClient` and `relayHandler` are built with
 * it, and the adapters do not re-export it); it is for writing an adapter for another runtime or
 * transport, or a Promise client over a layer of your own.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import type * as ConfigProvider from "effect/ConfigProvider"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type { InvalidOptionsError } from "./Errors.js"
import * as internal from "./internal/adapter.js"
import * as options from "./internal/options.js"
import * as promiseClient from "./internal/promiseClient.js"
import * as relay from "./internal/relay/handler.js"
import type { OneRoute, OneRouteOptions, RelayOptions, RequestHeaders } from "./OneRoute.js"
import type { ClientOptions, OneRouteClient } from "./OneRouteClient.js"
import type { RelayHandler, RelayHandlerOptions } from "./Relay.js"

/**
 * What a runtime brings. `Transport` is the adapter's own options next to core's (for example
 * Node's `{ dispatcher?: Dispatcher }`); its `layer`, `createClient` and `relayHandler` accept them.
 *
 * @since 0.1.0
 */
export interface AdapterOptions<Transport extends object = object> {
  /** The runtime's transport: a layer, or one made from the options of each `layer` / client. */
  readonly httpClient: Layer.Layer<HttpClient.HttpClient> | ((options: Transport) => Layer.Layer<HttpClient.HttpClient>)
  /** Default `User-Agent` (for example `"@oneroute/node"`), used when the options set none. */
  readonly userAgent: string
  /** Reads one environment variable; `createClient` and `relayHandler` fill missing options with it. */
  readonly getEnv: (name: string) => string | undefined
  /** Where `layerConfig` reads from; default: Effect's current `ConfigProvider` (the environment). */
  readonly configProvider?: Effect.Effect<ConfigProvider.ConfigProvider, ConfigError.ConfigError>
  /** Checks the `Transport` options when a layer or client is made; `Left` is thrown (or the layer's defect). */
  readonly checkTransport?: (options: Transport) => Either.Either<unknown, InvalidOptionsError>
}

/**
 * The four entry points of a runtime adapter.
 *
 * @since 0.1.0
 */
export interface Adapter<Transport extends object = object> {
  readonly layer: (options: (OneRouteOptions | RelayOptions) & Transport) => Layer.Layer<OneRoute>
  readonly layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError>
  readonly createClient: (options?: Partial<ClientOptions> & Transport) => OneRouteClient
  readonly relayHandler: (options: RelayHandlerOptions & Partial<OneRouteOptions> & Transport) => RelayHandler
}

/**
 * Makes a runtime adapter.
 *
 * @since 0.1.0
 */
export const makeAdapter: <Transport extends object = object>(
  options: AdapterOptions<Transport>
) => Adapter<Transport> = internal.makeAdapter

/**
 * Options with every default applied and every value checked, as `validateOptions` returns them.
 * The key stays `Redacted`.
 *
 * @since 0.1.0
 */
export interface ResolvedOptions {
  /** `undefined` in relay mode: the relay adds the key. */
  readonly apiKey: Redacted.Redacted<string> | undefined
  /** The URL each send posts to (OneRoute's endpoint under `baseUrl`, or `relayUrl` as is). */
  readonly endpoint: string
  /** How long one attempt may take. */
  readonly timeout: Duration.Duration
  readonly retry: {
    readonly times: number
    readonly baseDelay: Duration.Duration
    readonly maxDelay: Duration.Duration
    readonly retryUnknownOutcome: boolean
  }
  /** `undefined` when none is sent (the runtime sets its own). */
  readonly userAgent: string | undefined
  readonly maxResponseBytes: number
  /** Relay mode only: the caller's extra headers. */
  readonly headers: RequestHeaders | undefined
}

/**
 * Checks options and applies defaults without building anything: `Right` holds the resolved
 * options (the key `Redacted`), `Left` says what is wrong.
 *
 * @since 0.1.0
 */
export const validateOptions: (
  input: OneRouteOptions | RelayOptions
) => Either.Either<ResolvedOptions, InvalidOptionsError> = options.resolveOptions

/**
 * `OneRouteOptions` from the current `ConfigProvider` (the environment by default):
 * `ONEROUTE_API_KEY` (required), `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT`, checked as
 * `validateOptions` checks them (a `ConfigError` naming the variable otherwise). What
 * `OneRoute.layerConfig()` reads.
 *
 * @since 0.1.0
 */
export const OneRouteConfig: Config.Config<OneRouteOptions> = options.config

/**
 * Fills the options a caller left out from an environment (`ONEROUTE_API_KEY`,
 * `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT`), as `createClient()` does on Node and Deno. It is the
 * one reader of those variables: `OneRouteConfig` uses it too.
 *
 * @since 0.1.0
 */
export const optionsWithEnvironment: (
  input: Partial<OneRouteOptions>,
  getEnv: (name: string) => string | undefined
) => OneRouteOptions = options.withEnvironment

/**
 * Makes a Promise client from a layer that provides `OneRoute`. The layer is built on the
 * first send and torn down by `close()`.
 *
 * @since 0.1.0
 */
export const makeClient: <E>(layer: Layer.Layer<OneRoute, E>) => OneRouteClient = promiseClient.makeClient

/**
 * Checks `options` at once, throwing `InvalidOptionsError` when they are unusable, and returns
 * the adapter's `layer` for them: what `createClient` and `relayHandler` build on.
 *
 * @since 0.1.0
 */
export const checkedLayer = <Options extends OneRouteOptions | RelayOptions, E>(
  options: Options,
  layer: (options: Options) => Layer.Layer<OneRoute, E>
): Layer.Layer<OneRoute, E> => {
  Either.getOrThrowWith(validateOptions(options), (error) => error)
  return layer(options)
}

/**
 * What every adapter's `createClient` does: a Promise client on `checkedLayer(options, layer)`.
 *
 * @since 0.1.0
 */
export const makeClientWith = <Options extends OneRouteOptions | RelayOptions, E>(
  options: Options,
  layer: (options: Options) => Layer.Layer<OneRoute, E>
): OneRouteClient => makeClient(checkedLayer(options, layer))

/**
 * Makes a relay over `layer` (the `OneRoute` service holding the API key). Throws
 * `InvalidOptionsError` when `authorize` is missing, `allowedFrom` is empty or holds something
 * that is not a number, or no origin is configured (`publicUrl`, `allowedOrigins`, `trustProxy`).
 *
 * @since 0.1.0
 */
export const makeRelayHandler: <E>(options: RelayHandlerOptions, layer: Layer.Layer<OneRoute, E>) => RelayHandler =
  relay.makeRelayHandler
