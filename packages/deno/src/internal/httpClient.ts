import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { deno, type DenoHttpClient } from "./deno.js"

/** `RequestInit` as Deno's `fetch` reads it: `client` picks the connection pool. */
interface DenoRequestInit extends RequestInit {
  readonly client: DenoHttpClient
}

/**
 * `@effect/platform`'s fetch client on a `Deno.HttpClient` of its own, so that ending the layer's
 * scope (`client.close()`, `ManagedRuntime.dispose`) closes its keep-alive connections instead
 * of leaving them in Deno's global pool.
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.unwrapScoped(
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => deno().createHttpClient({})),
      (client) => Effect.sync(() => client.close())
    ),
    (client) => {
      const init: DenoRequestInit = { client }
      return FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.RequestInit, init)))
    }
  )
)
