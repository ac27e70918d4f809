/**
 * @oneroute/deno — send WhatsApp messages through OneRoute from Deno, with Promises. The Effect
 * API (`layer`, `layerConfig`, `OneRoute`, the schemas) is `@oneroute/deno/effect`.
 *
 * @since 0.1.0
 */
export * from "@oneroute/core"
export { createClient, type DenoTransportOptions, relayHandler } from "./DenoOneRoute.js"
