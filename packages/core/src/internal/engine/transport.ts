/**
 * What the engine needs from a runtime's HTTP stack: one POST, its status, two headers, and a
 * body read with a byte cap. Each adapter implements it over its fastest native client (undici
 * on Node, `fetch` in browsers and Deno); `httpClientTransport` runs any `@effect/platform`
 * `HttpClient` (a consumer's middleware or proxy) through the same engine.
 */

/**
 * One request: always a POST of a JSON body.
 *
 * @since 0.2.0
 */
export interface TransportRequest {
  /** The endpoint's full URL. */
  readonly url: string
  /** The headers to send, by lower-case name (the API key among them in direct mode). */
  readonly headers: Readonly<Record<string, string>>
  /** The JSON body, already encoded. */
  readonly body: string
  /** Aborted when the attempt times out, the caller aborts, or an Effect is interrupted. */
  readonly signal: AbortSignal
}

/**
 * What was read of a body: all of it, or (`complete: false`) its start.
 *
 * @since 0.2.0
 */
export interface Body {
  /** The body read as UTF-8 text (its start when `complete` is false). */
  readonly text: string
  /** Whether `text` is the whole body: false when it was cut at the byte cap. */
  readonly complete: boolean
}

/**
 * An answer whose body has not been read yet.
 *
 * @since 0.2.0
 */
export interface TransportAnswer {
  /** The answer's HTTP status. */
  readonly status: number
  /** A header's value by lower-case name. */
  readonly header: (name: string) => string | undefined
  /**
   * Reads at most `maxBytes` of the body (see {@link readCapped}); rejects when the body breaks
   * off. Called at most once.
   */
  readonly read: (maxBytes: number) => Promise<Body>
}

/**
 * Sends one request. Rejects with the runtime's own error when no answer arrived (the engine
 * classifies it, walking `cause` links for a connection-refused code).
 *
 * @since 0.2.0
 */
export type Transport = (request: TransportRequest) => Promise<TransportAnswer>

/**
 * A transport with resources of its own (a connection pool), released by `close`.
 *
 * @since 0.2.0
 */
export interface OwnedTransport {
  /** Sends one request. */
  readonly send: Transport
  /** Releases what the transport holds (its connection pool). */
  readonly close: () => Promise<void>
}

/** How much of a body larger than the cap is kept: enough for an error's excerpt. */
const OVERSIZE_KEPT_BYTES = 4096
const utf8 = new TextDecoder()

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0]?.byteLength === size) return chunks[0]
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk.subarray(0, size - offset), offset)
    offset += Math.min(chunk.byteLength, size - offset)
    if (offset >= size) break
  }
  return bytes
}

/**
 * Whether `header` lets a body be read whole: a `Content-Length` within the cap, no `Content-Encoding`.
 *
 * @since 0.2.0
 */
export const fitsWhole = (header: (name: string) => string | undefined, maxBytes: number): boolean => {
  const declared = Number(header("content-length") ?? Number.NaN)
  const encoded = (header("content-encoding") ?? "identity").trim().toLowerCase() !== "identity"
  return !encoded && Number.isSafeInteger(declared) && declared <= maxBytes
}

/**
 * Reads chunks with a byte count; past `maxBytes` it stops (calling `cancel`, which ends the
 * transfer) and keeps only the start, for an excerpt. A transport whose answer declares a
 * `Content-Length` within the cap (see {@link fitsWhole}) may read the body whole instead: the
 * fast path. (A transport that decompresses must let `Content-Encoding` show.) When `signal`
 * aborts, reading stops and the promise rejects with its reason.
 *
 * @since 0.2.0
 */
export const readCapped = async (
  chunks: AsyncIterator<Uint8Array>,
  maxBytes: number,
  cancel: () => void,
  signal: AbortSignal
): Promise<Body> => {
  const kept: Array<Uint8Array> = []
  let size = 0
  // An abort (the attempt's timeout) ends the read even where the stream does not watch the signal.
  const aborted = new Promise<never>((_, reject) => {
    // Reject first: cancelling ends the pending read as "done", which must not win the race.
    const stop = () => {
      reject(signal.reason)
      cancel()
    }
    if (signal.aborted) stop()
    else signal.addEventListener("abort", stop, { once: true })
  })
  aborted.catch(() => {})
  for (;;) {
    const next = await Promise.race([chunks.next(), aborted])
    if (next.done === true) return { text: utf8.decode(concat(kept, size)), complete: true }
    const chunk = next.value
    if (size + chunk.byteLength > maxBytes) {
      kept.push(chunk.subarray(0, maxBytes - size))
      cancel()
      return { text: utf8.decode(concat(kept, Math.min(maxBytes, OVERSIZE_KEPT_BYTES))), complete: false }
    }
    size += chunk.byteLength
    kept.push(chunk)
  }
}
