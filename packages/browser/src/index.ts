/**
 * @oneroute/browser — send WhatsApp messages through OneRoute from a browser, via your own
 * backend (relay mode, the default) or, for trusted pages only, directly, with Promises. The
 * Effect API (`layer`, `layerConfig`, `OneRoute`, the schemas) is `@oneroute/browser/effect`.
 *
 * @since 0.1.0
 */
export * from "@oneroute/core"
export {
  type BrowserClientOptions,
  type BrowserTransportOptions,
  createClient,
  type DirectClientOptions,
  type RelayClientOptions
} from "./BrowserOneRoute.js"
