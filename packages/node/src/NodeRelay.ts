/**
 * The relay on Node: lets browser pages send session messages through your backend, which holds
 * the API key. See `@oneroute/core`'s `makeRelayHandler` for what it checks.
 *
 * @since 0.1.0
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import {
  checkedLayer,
  makeRelayHandler,
  type OneRouteOptions,
  optionsWithEnvironment,
  type RelayHandler,
  type RelayHandlerOptions
} from "@oneroute/core"
import * as internal from "./internal/nodeListener.js"
import { layer } from "./NodeOneRoute.js"

/**
 * A web-standard relay handler: `(request: Request) => Promise<Response>`. OneRoute options left
 * out are read from `process.env` (`ONEROUTE_API_KEY`, …). Throws `InvalidOptionsError` at once
 * when the options are unusable.
 *
 * @since 0.1.0
 */
export const relayHandler = (options: RelayHandlerOptions & Partial<OneRouteOptions>): RelayHandler =>
  makeRelayHandler(
    options,
    checkedLayer(
      optionsWithEnvironment(options, (name) => process.env[name]),
      layer
    )
  )

/**
 * Serves a web-standard handler (such as `relayHandler(…)`) from `node:http`, Express or Connect:
 * `http.createServer(toNodeListener(relay))`, `app.post("/oneroute/send", toNodeListener(relay))`.
 *
 * @since 0.1.0
 */
export const toNodeListener: (
  handler: (request: Request) => Promise<Response>
) => (req: IncomingMessage, res: ServerResponse) => void = internal.toNodeListener
