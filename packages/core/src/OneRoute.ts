/**
 * The `OneRoute` service: the Effect API. Adapters' `layer` and `layerConfig` (in their `/effect`
 * entry) provide it over their own transport; `@oneroute/core/platform` over an
 * `@effect/platform` `HttpClient` of your own.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type { OneRouteError } from "./Errors.js"
import type { SessionMessage, SessionMessageRequest } from "./Schemas.js"
import type { TemplateMessageRequest } from "./TemplateMessage.js"
import type { TemplateMessageResult } from "./TemplateResult.js"

/**
 * The operations of the `OneRoute` service.
 *
 * @since 0.1.0
 */
export interface OneRouteService {
  /**
   * Validates the input (no request for invalid input), sends it, and decodes the answer.
   * Runs as the span `OneRoute.sendSessionMessage`.
   */
  readonly sendSessionMessage: (input: SessionMessageRequest.Encoded) => Effect.Effect<SessionMessage, OneRouteError>
  /**
   * Validates the input (no request for invalid input), sends one template message to each
   * recipient, and decodes one outcome per recipient, in request order. It succeeds when OneRoute
   * answered for every recipient, some of which may have failed: check each outcome. An answer
   * without exactly one entry per recipient is an `UnexpectedResponseError` (`sendOutcome:
   * "unknown"`). Runs as the span `OneRoute.sendTemplateMessage`.
   *
   * @since 0.2.0
   */
  readonly sendTemplateMessage: (
    input: TemplateMessageRequest.Encoded
  ) => Effect.Effect<TemplateMessageResult, OneRouteError>
}

/**
 * The OneRoute service tag (`"@oneroute/core/OneRoute"`).
 *
 * @since 0.1.0
 */
export class OneRoute extends Context.Tag("@oneroute/core/OneRoute")<OneRoute, OneRouteService>() {
  /** Sends through the `OneRoute` service in context. */
  static readonly sendSessionMessage = (
    input: SessionMessageRequest.Encoded
  ): Effect.Effect<SessionMessage, OneRouteError, OneRoute> =>
    Effect.flatMap(OneRoute, (service) => service.sendSessionMessage(input))

  /**
   * Sends a template message through the `OneRoute` service in context.
   *
   * @since 0.2.0
   */
  static readonly sendTemplateMessage = (
    input: TemplateMessageRequest.Encoded
  ): Effect.Effect<TemplateMessageResult, OneRouteError, OneRoute> =>
    Effect.flatMap(OneRoute, (service) => service.sendTemplateMessage(input))
}
