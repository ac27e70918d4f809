import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Layer from "effect/Layer"

/**
 * `fetch` without the `apiKey` header. The core always sets that header (here to the relay
 * placeholder, see `options.ts`); deleting it at the last step before the network guarantees
 * that relay mode never sends a key, whatever the layers above do. `globalThis.fetch` is read
 * per call so that test spies and polyfills installed later are honoured.
 */
export const relayFetch: typeof globalThis.fetch = (input, init) => {
  const headers = new Headers(init?.headers)
  headers.delete("apikey")
  return globalThis.fetch(input, { ...init, headers })
}

/** The fetch `HttpClient` for relay mode. */
export const relayHttpClient: Layer.Layer<HttpClient.HttpClient> = FetchHttpClient.layer.pipe(
  Layer.provide(Layer.succeed(FetchHttpClient.Fetch, relayFetch))
)
