/**
 * `@oneroute/core/platform`: the `OneRoute` service over an `@effect/platform` `HttpClient` of
 * your own (your middleware, proxy or test client). The one module that needs
 * `@effect/platform` (an optional peer dependency): install it to use this.
 *
 * @since 0.3.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { config as oneRouteConfig } from "./internal/config.js"
import { makeEngine } from "./internal/engine/engine.js"
import { httpClientTransport } from "./internal/engine/httpClientTransport.js"
import * as options from "./internal/options.js"
import * as service from "./internal/service.js"
import { OneRoute, type OneRouteService } from "./OneRoute.js"
import type { OneRouteOptions, RelayOptions } from "./Options.js"

const overHttpClient = (resolved: options.ResolvedOptions) =>
  Effect.map(httpClientTransport, (transport) => service.make(makeEngine(resolved, transport)))

const resolveOrDie = (input: OneRouteOptions | RelayOptions) =>
  Either.match(options.resolveOptions(input), {
    onLeft: (error) => Effect.die(error),
    onRight: Effect.succeed
  })

/**
 * Builds the service over the `HttpClient` in context. Unusable options are a defect
 * (`InvalidOptionsError`): they are a programming error, not a send failure.
 *
 * @since 0.3.0
 */
export const make = (
  input: OneRouteOptions | RelayOptions
): Effect.Effect<OneRouteService, never, HttpClient.HttpClient> => Effect.flatMap(resolveOrDie(input), overHttpClient)

/**
 * A layer of the service over the `HttpClient` in context.
 *
 * @since 0.3.0
 */
export const layer = (input: OneRouteOptions | RelayOptions): Layer.Layer<OneRoute, never, HttpClient.HttpClient> =>
  Layer.effect(OneRoute, make(input))

/**
 * A layer over the `HttpClient` in context whose options come from `Config`: by default
 * `ONEROUTE_API_KEY` (required), `ONEROUTE_BASE_URL` and `ONEROUTE_TIMEOUT`. Missing or unusable
 * values fail it with a `ConfigError`.
 *
 * @since 0.3.0
 */
export const layerConfig = (
  config: Config.Config<OneRouteOptions> = oneRouteConfig
): Layer.Layer<OneRoute, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    OneRoute,
    Effect.flatMap(config, (input) =>
      Either.match(options.resolveOptions(input), {
        // Unusable values from the environment are configuration errors, not defects.
        onLeft: (error) => Effect.fail(ConfigError.InvalidData([error.option], error.problem)),
        onRight: overHttpClient
      })
    )
  )
