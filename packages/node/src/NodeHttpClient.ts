/**
 * A thin `HttpClient` over `undici.request` with a keep-alive Agent. Our own rather than
 * `@effect/platform-node`'s, whose peer dependencies (cluster, rpc, sql) every consumer would install.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Layer from "effect/Layer"
import type { Dispatcher } from "undici"
import * as internal from "./internal/undiciHttpClient.js"

/**
 * An `HttpClient` that sends through the given undici dispatcher.
 *
 * @since 0.1.0
 */
export const make: (dispatcher: Dispatcher) => HttpClient.HttpClient = internal.make

/**
 * An `HttpClient` on a keep-alive `undici.Agent` that is closed when the layer's scope ends.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = internal.layer

/**
 * An `HttpClient` on a dispatcher you own (a proxy Agent, a mock pool); you close it.
 *
 * @since 0.1.0
 */
export const layerWithDispatcher: (dispatcher: Dispatcher) => Layer.Layer<HttpClient.HttpClient> =
  internal.layerWithDispatcher
