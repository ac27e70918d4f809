import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { type DenoHttpClient, deno } from "./deno.js"

/** `RequestInit` as Deno's `fetch` reads it: `client` picks the connection pool. */
interface DenoRequestInit extends RequestInit {
  readonly client: DenoHttpClient
}

/**
 * `@effect/platform`'s fetch client on a `Deno.HttpClient` of its own, closed when the layer's
 * scope ends (`client.close()`, `ManagedRuntime.dispose`).
 *
 * Its pool keeps no idle connection: every send opens a fresh one. Deno's `fetch` (2.9) resends
 * a request once, silently, when a *reused* keep-alive HTTP/1.1 connection closes before any
 * byte of the answer (denoland/deno#32566 treats that as a stale connection). When the server
 * had already accepted the request, that is a second WhatsApp message. On a fresh connection
 * the same failure surfaces as a `NetworkError` with `sendOutcome: "unknown"`, as it must.
 * The price is a TCP (and TLS) handshake per send.
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.suspend(() => layerWithFetch(undefined))

/**
 * {@link layer}, sending with `fetch` (called as `fetch(url, init)`, where `init.client` is the
 * layer's `Deno.HttpClient`: pass it on to Deno's `fetch`). `undefined`: `globalThis.fetch`.
 */
export const layerWithFetch = (fetch: typeof globalThis.fetch | undefined): Layer.Layer<HttpClient.HttpClient> =>
  Layer.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => deno().createHttpClient({ poolMaxIdlePerHost: 0 })),
        (client) => Effect.sync(() => client.close())
      ),
      (client) => {
        const init: DenoRequestInit = { client }
        const withInit = Layer.succeed(FetchHttpClient.RequestInit, init)
        return FetchHttpClient.layer.pipe(
          Layer.provide(
            fetch === undefined ? withInit : Layer.merge(withInit, Layer.succeed(FetchHttpClient.Fetch, fetch))
          )
        )
      }
    )
  )
