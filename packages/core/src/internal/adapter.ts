import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type { Adapter, AdapterOptions } from "../Adapter.js"
import { OneRoute, type OneRouteOptions, type RelayOptions } from "../OneRoute.js"
import { config, resolveOptions, withEnvironment } from "./options.js"
import { makeClient } from "./promiseClient.js"
import { makeRelayHandler } from "./relay/handler.js"

export const makeAdapter = <Transport extends object = object>({
  httpClient,
  userAgent,
  getEnv,
  configProvider,
  checkTransport
}: AdapterOptions<Transport>): Adapter<Transport> => {
  const transport = (options: Transport): Layer.Layer<HttpClient.HttpClient> =>
    typeof httpClient === "function" ? httpClient(options) : httpClient
  const withUserAgent = <Options extends { readonly userAgent?: string }>(options: Options): Options => ({
    ...options,
    userAgent: options.userAgent ?? userAgent
  })
  const layer = (options: (OneRouteOptions | RelayOptions) & Transport): Layer.Layer<OneRoute> =>
    Either.match(checkTransport === undefined ? Either.right(options) : checkTransport(options), {
      onLeft: (error) => Layer.die(error),
      onRight: () => OneRoute.layer(withUserAgent(options)).pipe(Layer.provide(transport(options)))
    })
  /** Throws what `layer` would die with: `createClient` and `relayHandler` fail when they are made. */
  const checked = (options: (OneRouteOptions | RelayOptions) & Transport): Layer.Layer<OneRoute> => {
    if (checkTransport !== undefined) Either.getOrThrowWith(checkTransport(options), (error) => error)
    Either.getOrThrowWith(resolveOptions(options), (error) => error)
    return layer(options)
  }
  const fromConfig = OneRoute.layerConfig(Config.map(config, withUserAgent)).pipe(
    Layer.provide(transport({} as Transport))
  )
  return {
    layer,
    layerConfig:
      configProvider === undefined
        ? fromConfig
        : fromConfig.pipe(Layer.provide(Layer.unwrapEffect(Effect.map(configProvider, Layer.setConfigProvider)))),
    createClient: (options = {} as Transport) =>
      makeClient(checked(withEnvironment(options, getEnv) as OneRouteOptions & Transport)),
    relayHandler: (options) =>
      makeRelayHandler(options, checked(withEnvironment(options, getEnv) as OneRouteOptions & Transport))
  }
}
