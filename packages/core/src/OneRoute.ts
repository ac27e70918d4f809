/**
 * The `OneRoute` service: the Effect API. Adapters' `layer` and `layerConfig` (in their `/effect`
 * entry) provide it over their own transport; `@oneroute/core/platform` over an
 * `@effect/platform` `HttpClient` of your own.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type { AnswerOf, InputOf, Registry } from "./Endpoint.js"
import type { OneRouteError } from "./Errors.js"

/**
 * One operation per endpoint of the registry: validates the input (no request for invalid
 * input), sends it, and decodes the answer, inside the span `OneRoute.<name>`.
 *
 * @since 0.4.0
 */
export type Operations = {
  readonly [Name in keyof Registry]: (
    input: InputOf<Registry[Name]>
  ) => Effect.Effect<AnswerOf<Registry[Name]>, OneRouteError>
}

/**
 * The operations of the `OneRoute` service.
 *
 * @since 0.1.0
 */
export interface OneRouteService extends Operations {}

/**
 * The OneRoute service tag (`"@oneroute/core/OneRoute"`). Its accessors send through the
 * service in context: `OneRoute.sendSessionMessage(input)`, `OneRoute.sendCampaign(input)`, …
 *
 * @since 0.1.0
 */
export class OneRoute extends Effect.Tag("@oneroute/core/OneRoute")<OneRoute, OneRouteService>() {}
