/**
 * `@oneroute/core/adapter`: what a runtime adapter's Promise API is built from (its
 * `createClient` and `relayHandler`; the adapters do not re-export this module). Applications do
 * not need it; it is for writing an adapter for another runtime or transport. The Effect side
 * (`makeEffectAdapter`, `layerWithTransport`, `makeClient`) is in `@oneroute/core/effect`.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Either from "effect/Either"
import * as EitherRuntime from "effect/Either"
import type * as Redacted from "effect/Redacted"
import type { InvalidOptionsError } from "./Errors.js"
import * as internal from "./internal/adapter.js"
import * as json from "./internal/answer/json.js"
import { makeEngine } from "./internal/engine/engine.js"
import * as fetchTransports from "./internal/engine/fetchTransport.js"
import type { OwnedTransport, Transport } from "./internal/engine/transport.js"
import * as engineClient from "./internal/engineClient.js"
import * as options from "./internal/options.js"
import * as relay from "./internal/relay/handler.js"
import * as path from "./internal/relay/path.js"
import type { ClientOptions, OneRouteClient, RelayClientOptions } from "./OneRouteClient.js"
import type { OneRouteOptions, RelayOptions, RequestHeaders } from "./Options.js"
import type { RelayHandler, RelayHandlerOptions } from "./Relay.js"

/**
 * What a runtime brings. `TransportOptions` are the adapter's own options next to core's (for
 * example Node's `{ dispatcher?: Dispatcher }`); its `createClient`, `relayHandler` (and `layer`, through `makeEffectAdapter`)
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
  /** Default `User-Agent` (for example `"@oneroute/node"`), used when the options set none; `undefined` sends none (browsers). */
  readonly userAgent: string | undefined
  /** Reads one environment variable; `createClient` and `relayHandler` fill missing options with it. */
  readonly getEnv: (name: string) => string | undefined
  /** Checks the `Transport` options when a layer or client is made; `Left` is thrown (or the layer's defect). */
  readonly checkTransport?: (options: TransportOptions) => Either.Either<unknown, InvalidOptionsError>
}

/**
 * A runtime adapter's Promise API (its main entry); the Effect API is `makeEffectAdapter` in
 * `@oneroute/core/effect`.
 *
 * @since 0.3.0
 */
export interface PromiseAdapter<TransportOptions extends object = object> {
  readonly createClient: (options?: (Partial<ClientOptions> | RelayClientOptions) & TransportOptions) => OneRouteClient
  readonly relayHandler: (options: RelayHandlerOptions & Partial<OneRouteOptions> & TransportOptions) => RelayHandler
}

/**
 * Makes a runtime adapter.
 *
 * @since 0.1.0
 */
export const makeAdapter: <TransportOptions extends object = object>(
  options: AdapterOptions<TransportOptions>
) => PromiseAdapter<TransportOptions> = internal.makeAdapter

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
 * Whether JSON `text` nests arrays and objects deeper than `maxDepth`, in one linear pass with
 * strings skipped: the check the SDK runs before parsing an answer (and the emulator before
 * parsing a request), so nothing recursive ever sees deep input.
 *
 * @since 0.3.0
 */
export const nestsDeeperThan: (text: string, maxDepth: number) => boolean = json.nestsDeeperThan

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
    EitherRuntime.getOrThrowWith(validateOptions(options), (error) => error),
    transport
  )

/**
 * Makes a relay that sends through `transport` with `options` (the API key's). Throws
 * `InvalidOptionsError` when `authorize` is missing, `allowedFrom` is empty or holds something
 * that is not a number, an endpoint route is unusable, or no origin is configured (`publicUrl`,
 * `allowedOrigins`, `trustProxy`).
 *
 * @since 0.1.0
 */
export const makeRelayHandler = (
  relayOptions: RelayHandlerOptions,
  sendOptions: OneRouteOptions,
  transport: OwnedTransport
): RelayHandler => {
  const resolved = EitherRuntime.getOrThrowWith(options.resolveOptions(sendOptions), (error) => error)
  return relay.makeRelayHandler(relayOptions, {
    engine: makeEngine(resolved, transport.send),
    close: transport.close
  })
}
