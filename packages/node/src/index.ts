/**
 * @oneroute/node — send WhatsApp session messages through OneRoute from Node.
 *
 * @since 0.1.0
 */
export * from "@oneroute/core"
export * as NodeHttpClient from "./NodeHttpClient.js"
export { toNodeListener } from "./NodeListener.js"
export { createClient, layer, layerConfig, type NodeTransportOptions, relayHandler } from "./NodeOneRoute.js"
