/**
 * A thin `@effect/platform` `HttpClient` over `undici.request`.
 *
 * Ported (and trimmed) from `@effect/platform-node`'s `internal/httpClientUndici.ts`
 * (Effect-TS/effect, branch v3) so that consumers do not pull in
 * `@effect/platform-node` and its heavy peer dependencies.
 *
 * Lifecycle notes (mostly handled by `HttpClient.make` itself):
 * - Interrupting `execute` aborts the `AbortSignal` passed to undici, which
 *   cancels the request and destroys its socket.
 * - Interrupting a body read (`text`, `json`, `stream`, ...) also aborts.
 * - A response whose body is never read is aborted by the platform's
 *   `FinalizationRegistry` once the response object is garbage collected
 *   (same behaviour as the reference implementation); read the body, or use
 *   `HttpClient.withScope`, if you need deterministic release.
 *
 * @internal
 */

import { Readable } from "node:stream"
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Agent, type Dispatcher, EnvHttpProxyAgent, FormData as UndiciFormData, request as undiciRequest } from "undici"

type UndiciBody = Exclude<Dispatcher.RequestOptions["body"], undefined>

/**
 * Creates an `HttpClient` that sends every request through `dispatcher`
 * (an undici `Agent`, `Pool`, `MockAgent`, ...). The dispatcher's lifetime is
 * the caller's responsibility.
 *
 * Transport failures (connect errors, resets, aborted body streams) fail with
 * `RequestError { reason: "Transport" }` whose `cause` is the original
 * undici / Node error object, so callers can inspect `cause.code`
 * (e.g. `"ECONNREFUSED"` means no request byte left the process).
 */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(convertBody(request.body), (body) =>
      Effect.tryPromise({
        try: () =>
          undiciRequest(url, {
            dispatcher,
            method: request.method,
            headers: request.headers,
            body,
            signal
          }),
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
      })
    ).pipe(Effect.map((response) => new UndiciResponse(request, response)))
  )

/** Maps an `HttpBody` onto something `undici.request` accepts as `body`. */
const convertBody = (body: HttpBody.HttpBody): Effect.Effect<UndiciBody> => {
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      // `Raw` is `unknown` by type; like the reference we hand it to undici
      // as-is (string, Uint8Array, Readable, ... are all accepted at runtime).
      return Effect.succeed(body.body as UndiciBody)
    case "FormData": {
      // Node's global FormData comes from the undici copy bundled in Node, a
      // different class that undici 7 does not recognise: copy the entries
      // into this undici's FormData (File/Blob values are shared as-is).
      if (body.formData instanceof UndiciFormData) return Effect.succeed(body.formData)
      const form = new UndiciFormData()
      body.formData.forEach((value, key) => {
        form.append(key, value)
      })
      return Effect.succeed(form)
    }
    case "Stream":
      // Run the stream with the current fiber's runtime (context, scheduler).
      // If undici aborts, `Readable.from` calls `return()` on the iterator,
      // which interrupts the fiber producing the stream.
      return Effect.map(Stream.toAsyncIterableEffect(body.stream), (iterable) => Readable.from(iterable))
  }
}

/**
 * Reads a Node `Readable` as an Effect `Stream`. The readable is destroyed
 * when the stream ends early (interruption, `take`, failure downstream).
 *
 * We do not use `Stream.fromAsyncIterable(readable)` directly: its finalizer
 * calls `iterator.return()`, which on Node's (async-generator based) readable
 * iterator waits for a pending `next()` to settle — i.e. forever when the
 * server stalls. Destroying the readable first settles that `next()`.
 */
const fromReadable = <E>(readable: Readable, onError: (cause: unknown) => E): Stream.Stream<Uint8Array, E> =>
  Stream.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => readable[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>),
        () => Effect.sync(() => readable.destroy())
      ),
      (iterator) =>
        Stream.repeatEffectOption(
          Effect.flatMap(
            Effect.tryPromise({ try: () => iterator.next(), catch: (cause) => Option.some(onError(cause)) }),
            (result) => (result.done === true ? Effect.fail(Option.none()) : Effect.succeed(result.value))
          )
        )
    )
  )

const noop = (_: unknown): void => {}

/** `HttpClientResponse` backed by undici's `Dispatcher.ResponseData`. */
class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly source: Dispatcher.ResponseData
  ) {
    super()
    // The body errors when the request is aborted (e.g. a discarded response
    // collected by the platform's FinalizationRegistry). Without a listener
    // that "error" event would crash the process; real read errors are still
    // surfaced by the body read methods below.
    source.body.on("error", noop)
  }

  get status(): number {
    return this.source.statusCode
  }

  private cachedHeaders?: Headers.Headers
  get headers(): Headers.Headers {
    return (this.cachedHeaders ??= Headers.fromInput(this.source.headers))
  }

  private cachedCookies?: Cookies.Cookies
  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.source.headers["set-cookie"]
    return (this.cachedCookies =
      header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header]))
  }

  /** undici's `request` API does not expose the socket. */
  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  /**
   * The body can only be consumed once, so each one-shot read is memoized
   * (as in the reference): `Effect.cached` yields an effect that performs the
   * read at most once. `text`, `json`, `urlParamsBody` and `toJSON` share one
   * read, reading twice returns the same value, and once the read has
   * completed it is available synchronously (`toJSON` uses `runSync`).
   */
  private readOnce<A>(read: () => Promise<A>): Effect.Effect<A, HttpClientError.ResponseError> {
    return Effect.runSync(Effect.cached(Effect.tryPromise({ try: read, catch: (cause) => this.decodeError(cause) })))
  }

  private textBody?: Effect.Effect<string, HttpClientError.ResponseError>
  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return (this.textBody ??= this.readOnce(() => this.source.body.text()))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.tryMap(this.text, {
      try: (text) => (text === "" ? null : (JSON.parse(text) as unknown)),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => this.decodeError(cause)
      })
    )
  }

  private arrayBufferBody?: Effect.Effect<ArrayBuffer, HttpClientError.ResponseError>
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return (this.arrayBufferBody ??= this.readOnce(() => this.source.body.arrayBuffer()))
  }

  private formDataBody?: Effect.Effect<FormData, HttpClientError.ResponseError>
  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    // undici's FormData type is structurally distinct from the DOM lib's.
    return (this.formDataBody ??= this.readOnce(
      () => this.source.body.formData() as Promise<unknown> as Promise<FormData>
    ))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => fromReadable(this.source.body, (cause) => this.decodeError(cause)))
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

/**
 * Options of the `Agent` created by {@link layer}:
 * - unlimited connections per origin, keep-alive sockets idle for up to 10 s;
 * - undici's own header/body timeouts are disabled so that `Effect.timeout`
 *   (which aborts the request) is the single source of timeouts.
 */
const agentOptions: Agent.Options = {
  connections: null,
  keepAliveTimeout: 10_000,
  keepAliveMaxTimeout: 60_000,
  headersTimeout: 0,
  bodyTimeout: 0
}

/**
 * Releases the agent at scope end with `destroy()` (every socket is closed at
 * once) rather than `close()` (waits for in-flight requests):
 * - by the time the layer's scope closes, the fibers using the client are done
 *   (interrupting them already aborted their requests), so what is left are
 *   idle keep-alive sockets and responses whose body was never read; waiting
 *   for the latter could hang scope finalization forever;
 * - a "close with timeout, then destroy" fallback does not work: undici's
 *   `Agent.close()` forgets its pools immediately, so a later `destroy()`
 *   no longer reaches the sockets still busy.
 */
const destroyAgent = (agent: Dispatcher): Effect.Effect<void> => Effect.promise(() => agent.destroy().catch(noop))

/** The variables that name a proxy, as curl and undici read them (lower case first). */
export const PROXY_VARIABLES = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"] as const

/**
 * The default dispatcher: undici's `EnvHttpProxyAgent` when the environment names a proxy
 * (`HTTPS_PROXY` for https targets, `HTTP_PROXY` for http ones and as the fallback, `NO_PROXY`
 * for hosts that bypass it; requests tunnel through the proxy with `CONNECT`), a plain keep-alive
 * `Agent` otherwise. Read when the layer is built.
 */
export const defaultDispatcher = (env: Readonly<Record<string, string | undefined>> = process.env): Dispatcher =>
  PROXY_VARIABLES.some((name) => (env[name] ?? "") !== "")
    ? new EnvHttpProxyAgent({ ...agentOptions, ...proxyFrom(env) })
    : new Agent(agentOptions)

/** The proxy settings of `env` (undici itself reads `process.env`, which may differ). */
const proxyFrom = (env: Readonly<Record<string, string | undefined>>): EnvHttpProxyAgent.Options => {
  const first = (...names: ReadonlyArray<string>) =>
    names.map((name) => env[name]).find((value) => value !== undefined && value !== "")
  const httpProxy = first("http_proxy", "HTTP_PROXY")
  const httpsProxy = first("https_proxy", "HTTPS_PROXY") ?? httpProxy
  const noProxy = first("no_proxy", "NO_PROXY")
  return {
    ...(httpProxy === undefined ? {} : { httpProxy }),
    ...(httpsProxy === undefined ? {} : { httpsProxy }),
    noProxy: noProxy ?? ""
  }
}

/**
 * `HttpClient` layer backed by a dedicated keep-alive undici dispatcher (see
 * {@link defaultDispatcher}: honours `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`), which is
 * created when the layer is built and destroyed when its scope closes.
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => defaultDispatcher()),
      destroyAgent
    ),
    make
  )
)

/**
 * `HttpClient` layer over a caller-owned dispatcher; the layer never closes it.
 */
export const layerWithDispatcher = (dispatcher: Dispatcher): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(HttpClient.HttpClient, make(dispatcher))
