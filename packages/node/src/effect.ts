/**
 * @oneroute/node/effect — the Effect API on Node: everything in `@oneroute/node`, plus `layer`,
 * `layerConfig`, the `OneRoute` service, `IdempotencyStore` and the schemas.
 *
 * @since 0.3.0
 */
export * from "@oneroute/core/effect"
export { layer, layerConfig } from "./NodeEffect.js"
export { type NodeConnection, toNodeListener } from "./NodeListener.js"
export { createClient, type NodeTransportOptions, relayHandler } from "./NodeOneRoute.js"
