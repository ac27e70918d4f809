import { fetchTransport, type OwnedTransport } from "@oneroute/core/adapter"
import { type DenoHttpClient, deno } from "./deno.js"

/** `RequestInit` as Deno's `fetch` reads it: `client` picks the connection pool. */
interface DenoRequestInit extends RequestInit {
  readonly client: DenoHttpClient
}

/**
 * The engine's transport: `fetch` (yours, or `globalThis.fetch`) on a `Deno.HttpClient` of its
 * own, closed by `close` (the client's `close()`, or the end of the layer's scope).
 *
 * Its pool keeps no idle connection: every send opens a fresh one. Deno's `fetch` (2.9) resends
 * a request once, silently, when a *reused* keep-alive HTTP/1.1 connection closes before any
 * byte of the answer (denoland/deno#32566 treats that as a stale connection). When the server
 * had already accepted the request, that is a second WhatsApp message. On a fresh connection
 * the same failure surfaces as a `NetworkError` with `sendOutcome: "unknown"`, as it must.
 * The price is a TCP (and TLS) handshake per send.
 */
export const ownedFetchTransport = (fetch: typeof globalThis.fetch | undefined): OwnedTransport => {
  const client = deno().createHttpClient({ poolMaxIdlePerHost: 0 })
  const init: DenoRequestInit = { client }
  const send = fetchTransport(() => fetch ?? globalThis.fetch, init)
  // `client.close()` leaves requests in flight running: `close` aborts them, as Node's does
  // (they fail as NetworkError, "unknown"), so a closing relay or layer never waits on a hung send.
  const closing = new AbortController()
  return {
    send: (request) => send({ ...request, signal: AbortSignal.any([request.signal, closing.signal]) }),
    close: async () => {
      closing.abort()
      client.close()
    }
  }
}
