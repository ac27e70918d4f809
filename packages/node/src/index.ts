/**
 * @oneroute/node — send WhatsApp messages through OneRoute from Node, with Promises. The Effect
 * API (`layer`, `layerConfig`, `OneRoute`, the schemas) is `@oneroute/node/effect`.
 *
 * @since 0.1.0
 */
export * from "@oneroute/core"
export { type NodeConnection, toNodeListener } from "./NodeListener.js"
export { createClient, type NodeTransportOptions, relayHandler } from "./NodeOneRoute.js"
