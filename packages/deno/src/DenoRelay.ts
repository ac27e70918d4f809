/**
 * The relay on Deno: lets browser pages send session messages through your backend, which holds
 * the API key. Serve it with `Deno.serve(relayHandler({ allowedFrom: [...] }))`. See
 * `@oneroute/core`'s `makeRelayHandler` for what it checks.
 *
 * @since 0.1.0
 */
import {
  checkedLayer,
  makeRelayHandler,
  type OneRouteOptions,
  optionsWithEnvironment,
  type RelayHandler,
  type RelayHandlerOptions
} from "@oneroute/core"
import { layer } from "./DenoOneRoute.js"
import * as environment from "./internal/environment.js"

/**
 * A web-standard relay handler. OneRoute options left out are read from `Deno.env`
 * (`ONEROUTE_API_KEY`, …). Throws `InvalidOptionsError` at once when the options are unusable.
 *
 * @since 0.1.0
 */
export const relayHandler = (options: RelayHandlerOptions & Partial<OneRouteOptions>): RelayHandler =>
  makeRelayHandler(options, checkedLayer(optionsWithEnvironment(options, environment.getEnv), layer))
