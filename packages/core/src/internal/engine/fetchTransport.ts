import { type Body, fitsWhole, readCapped, type Transport } from "./transport.js"

/** A `ReadableStream` reader as an async iterator (Chromium's streams are not async-iterable everywhere). */
const chunksOf = (reader: ReadableStreamDefaultReader<Uint8Array>): AsyncIterator<Uint8Array> => ({
  next: () => reader.read() as Promise<IteratorResult<Uint8Array>>
})

/**
 * A {@link Transport} over a WHATWG `fetch` (browsers, Deno, Node's global): `fetch(url, init)`
 * with `init` holding the request and `extraInit` (for example `credentials`, or Deno's
 * `client`). `getFetch` is called at each send, so a page's replaced `globalThis.fetch` is used.
 * Redirects are never followed: a 3xx reaches the engine as it is (a browser's opaque redirect
 * becomes a `NetworkError`, `unknown`).
 */
export const fetchTransport =
  (getFetch: () => typeof globalThis.fetch, extraInit: RequestInit = {}): Transport =>
  async (request) => {
    const response = await getFetch()(request.url, {
      ...extraInit,
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      // Never followed: a 307/308 would POST the message again, a 301-303 turn it into a GET.
      redirect: "manual"
    })
    // A browser hides a manual redirect's status and headers (status 0): say what it was.
    if (response.type === "opaqueredirect") {
      const transportHint =
        "OneRoute answered with a redirect, which the SDK never follows; it may have processed the send"
      throw Object.assign(new Error(transportHint), { transportHint })
    }
    const header = (name: string) => response.headers.get(name) ?? undefined
    return {
      status: response.status,
      header,
      read: (maxBytes): Promise<Body> => {
        // A cross-origin answer hides `Content-Encoding` from the page, so its `Content-Length`
        // may be the compressed size of a far larger body: count what is read instead.
        if (response.type !== "cors" && fitsWhole(header, maxBytes))
          return response.text().then((text) => ({ text, complete: true }))
        // A body-less answer (204, or a `null` body) reads as empty.
        if (response.body === null) return Promise.resolve({ text: "", complete: true })
        const reader = response.body.getReader()
        return readCapped(chunksOf(reader), maxBytes, () => void reader.cancel().catch(() => {}), request.signal)
      }
    }
  }
