/**
 * @oneroute/browser — send WhatsApp session messages through OneRoute from a browser, via
 * your own backend (relay mode, the default) or, for trusted pages only, directly.
 *
 * @since 0.1.0
 */
export * from "@oneroute/core"
export {
  type BrowserClientOptions,
  type BrowserTransportOptions,
  createClient,
  type DirectClientOptions,
  layer,
  layerRelay,
  type RelayClientOptions
} from "./BrowserOneRoute.js"
