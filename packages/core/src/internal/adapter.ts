import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Adapter, AdapterOptions } from "../Adapter.js"
import { OneRoute, type OneRouteOptions, optionsWithEnvironment, type RelayOptions } from "../OneRoute.js"
import { checkedLayer, makeClientWith } from "../OneRouteClient.js"
import { makeRelayHandler } from "../Relay.js"

export const makeAdapter = ({ httpClient, userAgent, getEnv, configProvider }: AdapterOptions): Adapter => {
  const layer = (options: OneRouteOptions | RelayOptions): Layer.Layer<OneRoute> =>
    OneRoute.layer(options, userAgent).pipe(Layer.provide(httpClient))
  const fromConfig = OneRoute.layerConfig(undefined, userAgent).pipe(Layer.provide(httpClient))
  return {
    layer,
    layerConfig:
      configProvider === undefined
        ? fromConfig
        : fromConfig.pipe(Layer.provide(Layer.unwrapEffect(Effect.map(configProvider, Layer.setConfigProvider)))),
    createClient: (options = {}) => makeClientWith(optionsWithEnvironment(options, getEnv), layer),
    relayHandler: (options) => makeRelayHandler(options, checkedLayer(optionsWithEnvironment(options, getEnv), layer))
  }
}
