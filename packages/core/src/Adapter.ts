/**
 * `@oneroute/core/adapter`: what a runtime adapter is built from. Applications do not need this
 * module (the adapters' `layer`, `layerConfig`, `createClient` and `relayHandler` are built with
 * it, and the adapters do not re-export it); it is for writing an adapter for another runtime or
 * transport, or a Promise client over a layer of your own.
 *
 * @since 0.1.0
 */
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import type * as ConfigProvider from "effect/ConfigProvider"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type { InvalidOptionsError } from "./Errors.js"
import * as internal from "./internal/adapter.js"
import { config as oneRouteConfig } from "./internal/config.js"
import * as fetchTransports from "./internal/engine/fetchTransport.js"
import type { OwnedTransport, Transport } from "./internal/engine/transport.js"
import * as engineClient from "./internal/engineClient.js"
import * as options from "./internal/options.js"
import * as promiseClient from "./internal/promiseClient.js"
import * as relay from "./internal/relay/handler.js"
import * as path from "./internal/relay/path.js"
import type { OneRoute, OneRouteOptions, RelayOptions, RequestHeaders } from "./OneRoute.js"
import type { ClientOptions, OneRouteClient } from "./OneRouteClient.js"
import type { RelayHandler, RelayHandlerOptions } from "./Relay.js"

/**
 * What a runtime brings. `TransportOptions` are the adapter's own options next to core's (for
 * example Node's `{ dispatcher?: Dispatcher }`); its `layer`, `createClient` and `relayHandler`
 * accept them.
 *
 * @since 0.1.0
 */
export interface AdapterOptions<TransportOptions extends object = object> {
  /**
   * Makes the runtime's transport for the options of one `layer`, client or relay (called when
   * the client is made, or the layer built); its `close` runs with the client's `close()` or at
   * the end of the layer's scope.
   */
  readonly transport: (options: TransportOptions) => OwnedTransport
  /** Default `User-Agent` (for example `"@oneroute/node"`), used when the options set none. */
  readonly userAgent: string
  /** Reads one environment variable; `createClient` and `relayHandler` fill missing options with it. */
  readonly getEnv: (name: string) => string | undefined
  /** Where `layerConfig` reads from; default: Effect's current `ConfigProvider` (the environment). */
  readonly configProvider?: Effect.Effect<ConfigProvider.ConfigProvider, ConfigError.ConfigError>
  /** Checks the `Transport` options when a layer or client is made; `Left` is thrown (or the layer's defect). */
  readonly checkTransport?: (options: TransportOptions) => Either.Either<unknown, InvalidOptionsError>
}

/**
 * The four entry points of a runtime adapter.
 *
 * @since 0.1.0
 */
export interface Adapter<TransportOptions extends object = object> {
  readonly layer: (options: (OneRouteOptions | RelayOptions) & TransportOptions) => Layer.Layer<OneRoute>
  readonly layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError>
  readonly createClient: (options?: Partial<ClientOptions> & TransportOptions) => OneRouteClient
  readonly relayHandler: (options: RelayHandlerOptions & Partial<OneRouteOptions> & TransportOptions) => RelayHandler
}

/**
 * Makes a runtime adapter.
 *
 * @since 0.1.0
 */
export const makeAdapter: <TransportOptions extends object = object>(
  options: AdapterOptions<TransportOptions>
) => Adapter<TransportOptions> = internal.makeAdapter

export {
  type Body,
  fitsWhole,
  type OwnedTransport,
  readCapped,
  type Transport,
  type TransportAnswer,
  type TransportRequest
} from "./internal/engine/transport.js"

/**
 * Whether a request target's path is in normal form: no empty, `.` or `..` segment, no encoded
 * `.`, `/` or `\\`. A host that builds a `Request` (whose URL resolves dot segments) refuses the
 * others first, so a proxy's path rule and the handler never read one path two ways.
 *
 * @since 0.3.0
 */
export const isNormalPath: (target: string) => boolean = path.isNormalPath

/**
 * A transport over a WHATWG `fetch`, looked up with `getFetch` at each send, with extra
 * `RequestInit` fields (`credentials`, Deno's `client`).
 *
 * @since 0.2.0
 */
export const fetchTransport: (getFetch: () => typeof globalThis.fetch, extraInit?: RequestInit) => Transport =
  fetchTransports.fetchTransport

/**
 * Options with every default applied and every value checked, as `validateOptions` returns them.
 * The key stays `Redacted`.
 *
 * @since 0.1.0
 */
export interface ResolvedOptions {
  /** `undefined` in relay mode: the relay adds the key. */
  readonly apiKey: Redacted.Redacted<string> | undefined
  /**
   * What each endpoint's path resolves against, ending with `/`: `baseUrl` (OneRoute's), or
   * `relayUrl` in relay mode (a relay answers every endpoint under the URL it is mounted at).
   */
  readonly baseUrl: string
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
export const OneRouteConfig: Config.Config<OneRouteOptions> = oneRouteConfig

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
 * The `OneRoute` service on a transport made when the layer is built and closed when its scope
 * ends: what the adapters' `layer` return. Unusable options fail the layer with an
 * `InvalidOptionsError` defect.
 *
 * @since 0.2.0
 */
export const layerWithTransport = (
  options: OneRouteOptions | RelayOptions,
  transport: () => OwnedTransport
): Layer.Layer<OneRoute> =>
  Either.match(validateOptions(options), {
    onLeft: (error) => Layer.die(error),
    onRight: (resolved) => internal.engineLayer(resolved, transport)
  })

/**
 * The fast Promise client: checks `options` at once (throwing `InvalidOptionsError`) and sends
 * through `transport` with no fiber per send; `close()` closes the transport. What the adapters'
 * `createClient` return.
 *
 * @since 0.2.0
 */
export const makeTransportClient = (
  options: OneRouteOptions | RelayOptions,
  transport: OwnedTransport
): OneRouteClient =>
  engineClient.makeEngineClient(
    Either.getOrThrowWith(validateOptions(options), (error) => error),
    transport
  )

/**
 * A Promise client on `checkedLayer(options, layer)`: for a layer of your own (your `HttpClient`).
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
