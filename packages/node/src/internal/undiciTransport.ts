import type { OwnedTransport, Transport } from "@oneroute/core/adapter"
import { fitsWhole, readCapped } from "@oneroute/core/adapter"
import { type Dispatcher, request as undiciRequest } from "undici"
import { defaultDispatcher, proxyHint } from "./dispatcher.js"

const noop = (): void => {}

/** The engine's transport on `undici.request`: the fastest HTTP client Node has. */
export const undiciTransport =
  (dispatcher: Dispatcher, hintFor: (url: string) => string | undefined = () => undefined): Transport =>
  async (request) => {
    const response = await undiciRequest(request.url, {
      dispatcher,
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: request.signal
    }).catch((error: unknown) => {
      const transportHint = request.signal?.aborted ? undefined : hintFor(request.url)
      throw transportHint === undefined
        ? error
        : Object.assign(new Error(transportHint, { cause: error }), { transportHint })
    })
    // An abort errors the body; its reader reports that, and an unheard "error" would crash Node.
    response.body.on("error", noop)
    const header = (name: string): string | undefined => {
      const value = response.headers[name]
      return Array.isArray(value) ? value.join(", ") : value
    }
    return {
      status: response.statusCode,
      header,
      read: (maxBytes) =>
        fitsWhole(header, maxBytes)
          ? response.body.text().then((text) => ({ text, complete: true }))
          : readCapped(response.body[Symbol.asyncIterator](), maxBytes, () => response.body.destroy(), request.signal)
    }
  }

/**
 * The transport on `dispatcher` (yours: never closed by the SDK), or on a keep-alive Agent of
 * its own that honours the proxy variables and is destroyed by `close`.
 */
export const ownedUndiciTransport = (dispatcher: Dispatcher | undefined): OwnedTransport => {
  if (dispatcher !== undefined) return { send: undiciTransport(dispatcher), close: async () => {} }
  const own = defaultDispatcher()
  // The environment as it was when the dispatcher read it.
  const env = { ...process.env }
  return { send: undiciTransport(own, (url) => proxyHint(url, env)), close: () => own.destroy().catch(noop) }
}
