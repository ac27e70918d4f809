import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Runtime from "effect/Runtime"
import * as Stream from "effect/Stream"
import { type Body, fitsWhole, readCapped, type Transport } from "./transport.js"

/** OneRoute's key header; not in the platform's default list of names its logs and spans redact. */
const REDACTED_HEADER = "apikey"

/**
 * A {@link Transport} over an `@effect/platform` `HttpClient` (a consumer's middleware, logging
 * or proxy), run on `runtime`: slower than an adapter's native transport, same engine. The
 * platform's own HTTP span and trace headers are off (the send has its span; no trace headers
 * leave for a third-party API), and `apikey` is redacted in what a logging client prints.
 */
export const httpClientTransport = Effect.map(
  Effect.all([HttpClient.HttpClient, Effect.runtime<never>(), FiberRef.get(Headers.currentRedactedNames)]),
  ([client, runtime, redacted]): Transport => {
    const http = client.pipe(
      HttpClient.withTracerPropagation(false),
      HttpClient.withTracerDisabledWhen(() => true)
    )
    const run = <A, E>(effect: Effect.Effect<A, E>, signal?: AbortSignal) =>
      Runtime.runPromise(
        runtime,
        Effect.locally(effect, Headers.currentRedactedNames, [...redacted, REDACTED_HEADER]),
        {
          ...(signal === undefined ? {} : { signal })
        }
      )
    return async (request) => {
      const response = await run(
        http.execute(
          HttpClientRequest.post(request.url).pipe(
            HttpClientRequest.setHeaders(request.headers),
            HttpClientRequest.bodyText(request.body, "application/json")
          )
        ),
        request.signal
      )
      const header = (name: string) => response.headers[name]
      return {
        status: response.status,
        header,
        read: (maxBytes): Promise<Body> => {
          if (fitsWhole(header, maxBytes)) {
            return run(response.text, request.signal).then((text) => ({ text, complete: true }))
          }
          const chunks = Stream.toAsyncIterableRuntime(runtime)(
            // A body-less answer (204, or fetch's `null` body) has no stream to read.
            Stream.catchAll(response.stream, (error) =>
              error.reason === "EmptyBody" ? Stream.empty : Stream.fail(error)
            )
          )[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>
          return readCapped(chunks, maxBytes, () => void chunks.return?.(), request.signal)
        }
      }
    }
  }
)
