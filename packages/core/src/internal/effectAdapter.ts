import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type { AdapterOptions } from "../Adapter.js"
import type { EffectAdapter, EffectAdapterOptions } from "../effect.js"
import { OneRoute } from "../OneRoute.js"
import type { OneRouteOptions, RelayOptions } from "../Options.js"
import { prepareWith, resolveWith, withUserAgent } from "./adapter.js"
import { config } from "./config.js"
import { makeEngine } from "./engine/engine.js"
import type { OwnedTransport } from "./engine/transport.js"
import { type ResolvedOptions, resolveOptions } from "./options.js"
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

export const makeEffectAdapter = <TransportOptions extends object = object>(
  adapter: Omit<AdapterOptions<TransportOptions>, "getEnv"> & EffectAdapterOptions
): EffectAdapter<TransportOptions> => {
  const layer = (input: (OneRouteOptions | RelayOptions) & TransportOptions): Layer.Layer<OneRoute> =>
    Either.match(
      Either.flatMap(prepareWith(adapter, input, "layer"), (options) =>
        Either.map(resolveWith(adapter, options), (resolved) => ({ options, resolved }))
      ),
      {
        onLeft: (error) => Layer.die(error),
        onRight: ({ options, resolved }) => engineLayer(resolved, () => adapter.transport(options))
      }
    )
  const fromConfig = Layer.unwrapEffect(
    Effect.flatMap(config, (options) =>
      Either.match(resolveOptions(withUserAgent(options, adapter.userAgent)), {
        // Unusable values from the environment are configuration errors, not defects.
        onLeft: (error) => Effect.fail(ConfigError.InvalidData([error.option], error.problem)),
        onRight: (resolved) => Effect.succeed(engineLayer(resolved, () => adapter.transport({} as TransportOptions)))
      })
    )
  )
  return {
    layer,
    layerConfig:
      adapter.configProvider === undefined
        ? fromConfig
        : fromConfig.pipe(
            Layer.provide(Layer.unwrapEffect(Effect.map(adapter.configProvider, Layer.setConfigProvider)))
          )
  }
}
