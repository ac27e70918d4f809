/**
 * @oneroute/deno/effect — the Effect API on Deno: everything in `@oneroute/deno`, plus `layer`,
 * `layerConfig`, the `OneRoute` service, `IdempotencyStore` and the schemas.
 *
 * @since 0.3.0
 */
export * from "@oneroute/core/effect"
export { layer, layerConfig } from "./DenoEffect.js"
export { createClient, type DenoTransportOptions, relayHandler } from "./DenoOneRoute.js"
