/**
 * @oneroute/browser/effect — the Effect API in the browser: everything in `@oneroute/browser`,
 * plus `layer`, `layerConfig`, the `OneRoute` service and the schemas.
 *
 * @since 0.3.0
 */
export * from "@oneroute/core/effect"
export { layer, layerConfig } from "./BrowserEffect.js"
export {
  type BrowserClientOptions,
  type BrowserTransportOptions,
  createClient,
  type DirectClientOptions,
  type RelayClientOptions
} from "./BrowserOneRoute.js"
