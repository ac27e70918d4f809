import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

/**
 * `fetch` without the given headers, deleted at the last step before the network so that no
 * layer above can put them back. `globalThis.fetch` is read per call so that polyfills and
 * test spies installed later are honoured.
 */
const fetchWithout =
  (names: ReadonlyArray<string>): typeof globalThis.fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers)
    for (const name of names) headers.delete(name)
    return globalThis.fetch(input, { ...init, headers })
  }

/**
 * The core sets `User-Agent`. Chromium ignores it, but browsers that honour it make it a
 * non-safelisted header, so a cross-origin request needs a CORS preflight that allows it,
 * which OneRoute and most relays do not. The browser sends its own `User-Agent` anyway.
 */
const BROWSER_DROPPED = ["user-agent"]

/**
 * The core always sets the `apiKey` header (in relay mode to a placeholder, see
 * `options.ts`); relay mode deletes it, so it never sends a key whatever the layers above do.
 */
const RELAY_DROPPED = [...BROWSER_DROPPED, "apikey"]

/**
 * `FetchHttpClient.layer` on `fetch`, without trace propagation. By default the platform's
 * `HttpClient` adds `b3` and `traceparent` headers; in a browser those are non-safelisted, so a
 * cross-origin request (OneRoute itself, a relay on another origin) needs a CORS preflight
 * that allows them, which servers do not, and `fetch` fails with an opaque `TypeError`.
 */
const fetchClient = (fetch: typeof globalThis.fetch): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, HttpClient.withTracerPropagation(false))).pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetch))
  )

/** The `HttpClient` for direct mode. */
export const directHttpClient: Layer.Layer<HttpClient.HttpClient> = fetchClient(fetchWithout(BROWSER_DROPPED))

/** The `HttpClient` for relay mode: never sends an `apiKey` header. */
export const relayHttpClient: Layer.Layer<HttpClient.HttpClient> = fetchClient(fetchWithout(RELAY_DROPPED))
