import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * `FetchHttpClient.layer` without trace propagation. By default the platform's `HttpClient`
 * adds `b3` and `traceparent` headers; in a browser those are non-safelisted headers, so a
 * cross-origin request (OneRoute itself, or a relay on another origin) needs a CORS preflight
 * that allows them, which servers do not, and `fetch` fails with an opaque `TypeError`.
 */
const withoutTracePropagation = (fetchLayer: Layer.Layer<HttpClient.HttpClient>): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, HttpClient.withTracerPropagation(false))).pipe(
    Layer.provide(fetchLayer)
  )

/** The `HttpClient` for direct mode: `fetch`, nothing added. */
export const directHttpClient: Layer.Layer<HttpClient.HttpClient> = withoutTracePropagation(FetchHttpClient.layer)

/**
 * `fetch` without the `apiKey` header. The core always sets that header (in relay mode to a
 * placeholder, see `options.ts`); deleting it at the last step before the network guarantees
 * that relay mode never sends a key, whatever the layers above do. `globalThis.fetch` is read
 * per call so that polyfills and test spies installed later are honoured.
 */
export const relayFetch: typeof globalThis.fetch = (input, init) => {
  const headers = new Headers(init?.headers)
  headers.delete("apikey")
  return globalThis.fetch(input, { ...init, headers })
}

/** The `HttpClient` for relay mode: `fetch` without the `apiKey` header. */
export const relayHttpClient: Layer.Layer<HttpClient.HttpClient> = withoutTracePropagation(
  FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, relayFetch)))
)
