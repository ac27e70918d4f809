/**
 * @oneroute/deno — send WhatsApp session messages through OneRoute from Deno.
 *
 * @since 0.1.0
 */
export * from "@oneroute/core"
export { createClient, type DenoTransportOptions, layer, layerConfig, relayHandler } from "./DenoOneRoute.js"
