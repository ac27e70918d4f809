/**
 * @oneroute/core — the runtime-independent OneRoute SDK: schemas, errors, options and the
 * `OneRoute` service. What adapters are built from lives in `@oneroute/core/adapter`.
 *
 * @since 0.1.0
 */

export * as Endpoint from "./Endpoint.js"
export * from "./Errors.js"
export * as IdempotencyStore from "./IdempotencyStore.js"
export * from "./OneRoute.js"
export * from "./OneRouteClient.js"
export * from "./Relay.js"
export * from "./Schemas.js"
export * from "./TemplateMessage.js"
