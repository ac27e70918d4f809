import * as Either from "effect/Either"
import type { AdapterOptions, PromiseAdapter } from "../Adapter.js"
import type { InvalidOptionsError } from "../Errors.js"
import type { ClientOptions, OneRouteClient, RelayClientOptions, WindowsOption } from "../OneRouteClient.js"
import type { OneRouteOptions, RelayOptions } from "../Options.js"
import type { RelayHandler, RelayHandlerOptions } from "../Relay.js"
import { makeEngine } from "./engine/engine.js"
import { makeEngineClient } from "./engineClient.js"
import { type ResolvedOptions, resolveOptions, withEnvironment } from "./options.js"
import { makeRelayHandler } from "./relay/handler.js"

/** The adapter's `User-Agent` where the options set none. */
export const withUserAgent = <Options extends { readonly userAgent?: string }>(
  options: Options,
  userAgent: string | undefined
): Options => (options.userAgent !== undefined || userAgent === undefined ? options : { ...options, userAgent })

/** Checks the transport's options, then core's: what a layer dies with, or `createClient` throws. */
export const resolveWith = <TransportOptions extends object>(
  { checkTransport, userAgent }: Pick<AdapterOptions<TransportOptions>, "checkTransport" | "userAgent">,
  options: (OneRouteOptions | RelayOptions) & TransportOptions
): Either.Either<ResolvedOptions, InvalidOptionsError> =>
  Either.flatMap(checkTransport === undefined ? Either.right(options) : checkTransport(options), () =>
    resolveOptions(withUserAgent(options, userAgent))
  )

/** Relay mode needs no key and reads no environment; direct mode fills what is missing from it. */
const withEnvironmentUnlessRelay = <Options extends object>(
  options: Options,
  getEnv: (name: string) => string | undefined
): Options =>
  "relayUrl" in options ? options : (withEnvironment(options as Partial<OneRouteOptions>, getEnv) as Options)

/** The adapter's own rules for `options` (see `AdapterOptions.prepare`), keeping its transport options. */
export const prepareWith = <Options extends OneRouteOptions | RelayOptions>(
  adapter: Pick<AdapterOptions, "prepare">,
  options: Options,
  use: "client" | "layer"
): Either.Either<Options, InvalidOptionsError> =>
  adapter.prepare === undefined
    ? Either.right(options)
    : (adapter.prepare(options, use) as Either.Either<Options, never>)

/** An adapter's `createClient`: everything a page needs, nothing of the relay. */
export const createClientFor =
  <TransportOptions extends object = object>(adapter: AdapterOptions<TransportOptions>) =>
  (input = {} as (Partial<ClientOptions> | RelayClientOptions) & TransportOptions): OneRouteClient => {
    const options = Either.getOrThrowWith(
      prepareWith(adapter, input as (OneRouteOptions | RelayOptions) & TransportOptions, "client"),
      (error) => error
    )
    const filled = withEnvironmentUnlessRelay(options, adapter.getEnv) as OneRouteOptions & TransportOptions
    return makeEngineClient(checkedWith(adapter, filled), adapter.transport(filled), (options as WindowsOption).windows)
  }

/** An adapter's `relayHandler`. */
export const relayHandlerFor =
  <TransportOptions extends object = object>(adapter: AdapterOptions<TransportOptions>) =>
  (options: RelayHandlerOptions & Partial<OneRouteOptions> & TransportOptions): RelayHandler => {
    const filled = withEnvironment(options, adapter.getEnv) as OneRouteOptions & TransportOptions
    const resolved = checkedWith(adapter, filled)
    const transport = adapter.transport(filled)
    return makeRelayHandler(options, { engine: makeEngine(resolved, transport.send), close: transport.close })
  }

/** The options resolved, or the `InvalidOptionsError` thrown. */
const checkedWith = <TransportOptions extends object>(
  adapter: AdapterOptions<TransportOptions>,
  options: (OneRouteOptions | RelayOptions) & TransportOptions
): ResolvedOptions => Either.getOrThrowWith(resolveWith(adapter, options), (error) => error)

export const makeAdapter = <TransportOptions extends object = object>(
  adapter: AdapterOptions<TransportOptions>
): PromiseAdapter<TransportOptions> => ({
  createClient: createClientFor(adapter),
  relayHandler: relayHandlerFor(adapter)
})
