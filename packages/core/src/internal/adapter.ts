import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type { Adapter, AdapterOptions } from "../Adapter.js"
import { OneRoute, type OneRouteOptions, type RelayOptions } from "../OneRoute.js"
import { config } from "./config.js"
import { makeEngine } from "./engine/engine.js"
import type { OwnedTransport } from "./engine/transport.js"
import { makeEngineClient } from "./engineClient.js"
import { type ResolvedOptions, resolveOptions, withEnvironment } from "./options.js"
import { makeRelayHandler } from "./relay/handler.js"
import * as service from "./service.js"

/** The service on a transport of the layer's own, released when the layer's scope closes. */
export const engineLayer = (resolved: ResolvedOptions, transport: () => OwnedTransport): Layer.Layer<OneRoute> =>
  Layer.scoped(
    OneRoute,
    Effect.map(
      Effect.acquireRelease(Effect.sync(transport), (owned) => Effect.promise(() => owned.close())),
      (owned) => service.make(makeEngine(resolved, owned.send))
    )
  )

export const makeAdapter = <TransportOptions extends object = object>({
  transport,
  userAgent,
  getEnv,
  configProvider,
  checkTransport
}: AdapterOptions<TransportOptions>): Adapter<TransportOptions> => {
  const withUserAgent = <Options extends { readonly userAgent?: string }>(options: Options): Options => ({
    ...options,
    userAgent: options.userAgent ?? userAgent
  })
  /** Checks everything, returning what `layer` would die with. */
  const resolve = (options: (OneRouteOptions | RelayOptions) & TransportOptions) =>
    Either.flatMap(checkTransport === undefined ? Either.right(options) : checkTransport(options), () =>
      resolveOptions(withUserAgent(options))
    )
  const layer = (options: (OneRouteOptions | RelayOptions) & TransportOptions): Layer.Layer<OneRoute> =>
    Either.match(resolve(options), {
      onLeft: (error) => Layer.die(error),
      onRight: (resolved) => engineLayer(resolved, () => transport(options))
    })
  /** Throws what `layer` would die with: `createClient` and `relayHandler` fail when they are made. */
  const checked = (options: (OneRouteOptions | RelayOptions) & TransportOptions): ResolvedOptions =>
    Either.getOrThrowWith(resolve(options), (error) => error)
  const fromConfig = Layer.unwrapEffect(
    Effect.flatMap(config, (options) =>
      Either.match(resolveOptions(withUserAgent(options)), {
        // Unusable values from the environment are configuration errors, not defects.
        onLeft: (error) => Effect.fail(ConfigError.InvalidData([error.option], error.problem)),
        onRight: (resolved) => Effect.succeed(engineLayer(resolved, () => transport({} as TransportOptions)))
      })
    )
  )
  return {
    layer,
    layerConfig:
      configProvider === undefined
        ? fromConfig
        : fromConfig.pipe(Layer.provide(Layer.unwrapEffect(Effect.map(configProvider, Layer.setConfigProvider)))),
    createClient: (options = {} as TransportOptions) => {
      const filled = withEnvironment(options, getEnv) as OneRouteOptions & TransportOptions
      return makeEngineClient(checked(filled), transport(filled))
    },
    relayHandler: (options) => {
      const filled = withEnvironment(options, getEnv) as OneRouteOptions & TransportOptions
      return makeRelayHandler(
        options,
        engineLayer(checked(filled), () => transport(filled))
      )
    }
  }
}
