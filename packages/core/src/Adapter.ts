/**
 * `@oneroute/core/adapter`: what a runtime adapter's Promise API is built from (its
 * `createClient` and `relayHandler`; the adapters do not re-export this module). Applications do
 * not need it; it is for writing an adapter for another runtime or transport. The Effect side
 * (`makeEffectAdapter`, `layerWithTransport`, `makeClient`) is in `@oneroute/core/effect`.
 *
 * @since 0.1.0
 */
import type * as Either from "effect/Either"
import type { InvalidOptionsError } from "./Errors.js"
import * as internal from "./internal/adapter.js"
import * as json from "./internal/answer/json.js"
import * as fetchTransports from "./internal/engine/fetchTransport.js"
import type { OwnedTransport, Transport } from "./internal/engine/transport.js"
import * as objects from "./internal/isObject.js"
import * as limits from "./internal/limits.js"
import * as options from "./internal/options.js"
import * as path from "./internal/relay/path.js"
import type { ClientOptions, OneRouteClient, RelayClientOptions } from "./OneRouteClient.js"
import type { OneRouteOptions, RelayOptions } from "./Options.js"
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
  /**
   * The runtime's own rules for the options of a client or a layer, run first: they may refuse
   * the options or complete them (the browser resolves a relative `relayUrl` against the page, and
   * its clients demand `dangerouslyAllowBrowser` next to an `apiKey`). `Left` is thrown (or the
   * layer's defect). Default: the options as given.
   */
  readonly prepare?: (
    options: OneRouteOptions | RelayOptions,
    use: "client" | "layer"
  ) => Either.Either<OneRouteOptions | RelayOptions, InvalidOptionsError>
}

/**
 * A runtime adapter's Promise API (its main entry); the Effect API is `makeEffectAdapter` in
 * `@oneroute/core/effect`.
 *
 * @since 0.3.0
 */
export interface PromiseAdapter<TransportOptions extends object = object> {
  /** The adapter's `createClient`: direct with a key (missing options read with `getEnv`), or `{ relayUrl }`. */
  readonly createClient: (options?: (Partial<ClientOptions> | RelayClientOptions) & TransportOptions) => OneRouteClient
  /** The adapter's `relayHandler`: the relay as a web-standard handler. */
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

/**
 * An adapter's `createClient` alone: what a runtime without a relay (a browser page) builds, so
 * that its bundle holds nothing of the relay. `makeAdapter(adapter).createClient` is the same.
 *
 * @since 0.4.0
 */
export const createClientFor: <TransportOptions extends object = object>(
  adapter: AdapterOptions<TransportOptions>
) => PromiseAdapter<TransportOptions>["createClient"] = internal.createClientFor

/**
 * An adapter's `relayHandler` alone. `makeAdapter(adapter).relayHandler` is the same.
 *
 * @since 0.4.0
 */
export const relayHandlerFor: <TransportOptions extends object = object>(
  adapter: AdapterOptions<TransportOptions>
) => PromiseAdapter<TransportOptions>["relayHandler"] = internal.relayHandlerFor

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
 * The environment variables the SDK reads where a runtime has an environment (`createClient()`
 * and `relayHandler()` on Node and Deno, `layerConfig`): the one list of their names.
 *
 * @since 0.4.0
 */
export const ENVIRONMENT_VARIABLES: {
  readonly apiKey: "ONEROUTE_API_KEY"
  readonly baseUrl: "ONEROUTE_BASE_URL"
  readonly timeout: "ONEROUTE_TIMEOUT"
} = options.ENV

/**
 * A WhatsApp number after normalisation: the country code and 8 to 15 digits in all, not starting
 * with 0 (what `WhatsAppNumber` decodes to; the emulator checks numbers with it too).
 *
 * @since 0.4.0
 */
export const WHATSAPP_NUMBER_PATTERN: RegExp = limits.E164_DIGITS

/**
 * Whether a value is a JSON object (not `null`, not an array).
 *
 * @since 0.4.0
 */
export const isObject: (value: unknown) => value is { readonly [key: string]: unknown } = objects.isObject

/**
 * `JSON.parse`, or `undefined` for text that is not JSON or nests deeper than 64 levels (never
 * throws, never recurses deeply).
 *
 * @since 0.4.0
 */
export const parseJson: (text: string) => unknown = json.parseJson
