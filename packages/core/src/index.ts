/**
 * @oneroute/core — the runtime-independent OneRoute SDK: schemas, errors, options and the
 * `OneRoute` service.
 *
 * @since 0.1.0
 */

export * from "./Adapter.js"
export * from "./Errors.js"
export * as IdempotencyStore from "./IdempotencyStore.js"
export * from "./OneRoute.js"
export * from "./OneRouteClient.js"
export * from "./Relay.js"
export * from "./Schemas.js"
