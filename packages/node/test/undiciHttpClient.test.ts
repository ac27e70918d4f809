import * as Http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { Agent } from "undici"
import * as UndiciHttpClient from "../src/internal/undiciHttpClient.js"

// --- helpers ---------------------------------------------------------------

interface TestServer {
  readonly server: Http.Server
  readonly url: string
}

/** Starts a `node:http` server on 127.0.0.1:0 for the duration of the scope. */
const startServer = (handler: Http.RequestListener): Effect.Effect<TestServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<TestServer>((resume) => {
      const server = Http.createServer(handler)
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ server, url: `http://127.0.0.1:${port}` }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

/** A promise plus its resolver (Node 20 has no `Promise.withResolvers`). */
const deferred = <A = void>() => {
  let resolve!: (a: A) => void
  const promise = new Promise<A>((r) => (resolve = r))
  return { promise, resolve }
}

/** Long enough for a close to arrive on a busy machine; nothing else closes these sockets. */
const CLOSE_MARGIN = 30_000

/** Whether `closed` settles within `ms`. */
const closedWithin = (closed: Promise<unknown>, ms: number) =>
  Effect.map(
    Effect.timeoutOption(
      Effect.promise(() => closed),
      ms
    ),
    Option.isSome
  )

const readBody = (req: Http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let data = ""
    req.setEncoding("utf8")
    req.on("data", (chunk: string) => (data += chunk))
    req.on("end", () => resolve(data))
    req.on("error", reject)
  })

const errorCode = (error: HttpClientError.HttpClientError): unknown =>
  (error.cause as { code?: unknown } | undefined)?.code

const decoder = new TextDecoder()

/** Echo server: replies with the method, headers and body it received. */
const echoHandler: Http.RequestListener = (req, res) => {
  void readBody(req).then((body) => {
    res.writeHead(201, {
      "content-type": "application/json",
      "x-echo": "yes",
      "set-cookie": ["a=1; Path=/", "b=2; HttpOnly"]
    })
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }))
  })
}

interface Echo {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string
}

// --- tests -----------------------------------------------------------------

describe("undiciHttpClient", () => {
  describe("requests and responses", () => {
    it.scopedLive("JSON POST round-trip with headers, status and cookies", () =>
      Effect.gen(function* () {
        const { url } = yield* startServer(echoHandler)
        const client = yield* HttpClient.HttpClient
        const response = yield* HttpClientRequest.post(`${url}/items?q=1`).pipe(
          HttpClientRequest.setHeader("x-custom", "hello"),
          HttpClientRequest.bodyUnsafeJson({ name: "widget", n: 3 }),
          client.execute
        )
        expect(response.status).toBe(201)
        expect(response.headers["x-echo"]).toBe("yes")
        expect(response.headers["content-type"]).toBe("application/json")
        expect(response.cookies.cookies.a?.value).toBe("1")
        expect(response.cookies.cookies.b?.options?.httpOnly).toBe(true)
        const echo = (yield* response.json) as Echo
        expect(echo.method).toBe("POST")
        expect(echo.url).toBe("/items?q=1")
        expect(echo.headers["x-custom"]).toBe("hello")
        expect(echo.headers["content-type"]).toBe("application/json")
        expect(JSON.parse(echo.body)).toEqual({ name: "widget", n: 3 })
        // toJSON / inspect follow the platform's shape (body included for JSON).
        const inspected = response.toJSON() as { _id: string; status: number; body: Echo }
        expect(inspected._id).toBe("@effect/platform/HttpClientResponse")
        expect(inspected.status).toBe(201)
        expect(inspected.body.method).toBe("POST")
      }).pipe(Effect.provide(UndiciHttpClient.layer))
    )

    it.scopedLive("non-2xx statuses are responses, not errors", () =>
      Effect.gen(function* () {
        const { url } = yield* startServer((req, res) => {
          const status = Number(req.url?.slice(1))
          res.writeHead(status, { "content-type": "text/plain" })
          res.end(`status ${status}`)
        })
        const client = yield* HttpClient.HttpClient
        for (const status of [302, 404, 500, 503]) {
          const response = yield* client.get(`${url}/${status}`)
          expect(response.status).toBe(status)
          expect(yield* response.text).toBe(`status ${status}`)
        }
      }).pipe(Effect.provide(UndiciHttpClient.layer))
    )

    it.scopedLive("reads text, json, arrayBuffer, urlParamsBody and stream bodies", () =>
      Effect.gen(function* () {
        const { url } = yield* startServer((req, res) => {
          switch (req.url) {
            case "/text":
              return res.end("hello world")
            case "/json":
              res.setHeader("content-type", "application/json")
              return res.end(JSON.stringify({ ok: true, list: [1, 2] }))
            case "/empty":
              return res.end()
            case "/form":
              return res.end("a=1&b=two")
            case "/stream": {
              // Chunked body written over time.
              let i = 0
              const timer = setInterval(() => {
                if (i === 5) {
                  clearInterval(timer)
                  res.end()
                } else res.write(`chunk${i++};`)
              }, 10)
              return
            }
          }
        })
        const client = yield* HttpClient.HttpClient

        const text = yield* client.get(`${url}/text`)
        expect(yield* text.text).toBe("hello world")
        // Memoized: reading twice returns the same value instead of failing.
        expect(yield* text.text).toBe("hello world")

        expect(yield* Effect.flatMap(client.get(`${url}/json`), (r) => r.json)).toEqual({ ok: true, list: [1, 2] })
        expect(yield* Effect.flatMap(client.get(`${url}/empty`), (r) => r.json)).toBeNull()

        const buffer = yield* Effect.flatMap(client.get(`${url}/text`), (r) => r.arrayBuffer)
        expect(decoder.decode(buffer)).toBe("hello world")

        const params = yield* Effect.flatMap(client.get(`${url}/form`), (r) => r.urlParamsBody)
        expect(params).toEqual([
          ["a", "1"],
          ["b", "two"]
        ])

        const chunks = yield* client.get(`${url}/stream`).pipe(Effect.flatMap((r) => Stream.runCollect(r.stream)))
        expect(Chunk.size(chunks)).toBeGreaterThan(1) // really streamed
        expect(
          Chunk.toArray(chunks)
            .map((c) => decoder.decode(c))
            .join("")
        ).toBe("chunk0;chunk1;chunk2;chunk3;chunk4;")
      }).pipe(Effect.provide(UndiciHttpClient.layer))
    )

    it.scopedLive("sends Uint8Array, Raw string, Stream and FormData bodies", () =>
      Effect.gen(function* () {
        const { url } = yield* startServer(echoHandler)
        const client = yield* HttpClient.HttpClient
        const send = (request: HttpClientRequest.HttpClientRequest) =>
          Effect.flatMap(client.execute(request), (r) => r.json as Effect.Effect<Echo, HttpClientError.ResponseError>)

        const bytes = yield* send(
          HttpClientRequest.put(url).pipe(HttpClientRequest.bodyUint8Array(new TextEncoder().encode("bytes!")))
        )
        expect(bytes.method).toBe("PUT")
        expect(bytes.body).toBe("bytes!")
        expect(bytes.headers["content-length"]).toBe("6")

        const raw = yield* send(
          HttpClientRequest.post(url).pipe(
            HttpClientRequest.setBody(HttpBody.raw("raw string", { contentType: "text/x-raw" }))
          )
        )
        expect(raw.body).toBe("raw string")
        expect(raw.headers["content-type"]).toBe("text/x-raw")

        const streamed = yield* send(
          HttpClientRequest.post(url).pipe(
            HttpClientRequest.bodyStream(
              Stream.make("s1,", "s2,", "s3").pipe(
                Stream.encodeText,
                Stream.tap(() => Effect.sleep(5))
              )
            )
          )
        )
        expect(streamed.body).toBe("s1,s2,s3")
        expect(streamed.headers["transfer-encoding"]).toBe("chunked")

        const form = new FormData()
        form.append("field", "value")
        const multipart = yield* send(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyFormData(form)))
        expect(multipart.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/)
        expect(multipart.body).toContain('name="field"')
        expect(multipart.body).toContain("value")
      }).pipe(Effect.provide(UndiciHttpClient.layer))
    )
  })

  describe("errors", () => {
    it.scopedLive("connection refused -> RequestError Transport with cause.code ECONNREFUSED", () =>
      Effect.gen(function* () {
        // Get a free port by listening and closing again.
        const port = yield* Effect.async<number>((resume) => {
          const server = Http.createServer()
          server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo
            server.close(() => resume(Effect.succeed(port)))
          })
        })
        const client = yield* HttpClient.HttpClient
        const error = yield* Effect.flip(client.get(`http://127.0.0.1:${port}/`))
        expect(error._tag).toBe("RequestError")
        expect(error.reason).toBe("Transport")
        // The original Node error object, not a wrapper.
        expect(error.cause).toBeInstanceOf(Error)
        expect(errorCode(error)).toBe("ECONNREFUSED")
      }).pipe(Effect.provide(UndiciHttpClient.layer))
    )

    it.scopedLive("socket destroyed after the request was read -> Transport error that is not ECONNREFUSED", () =>
      Effect.gen(function* () {
        let requestsSeen = 0
        const { url } = yield* startServer((req) => {
          void readBody(req).then(() => {
            requestsSeen++
            req.socket.destroy()
          })
        })
        const client = yield* HttpClient.HttpClient
        const error = yield* Effect.flip(
          HttpClientRequest.post(url).pipe(HttpClientRequest.bodyText("payload"), client.execute)
        )
        expect(requestsSeen).toBe(1) // the request did reach the server
        expect(error._tag).toBe("RequestError")
        expect(error.reason).toBe("Transport")
        const code = errorCode(error)
        console.log(`reset after request: cause.code = ${String(code)}, name = ${(error.cause as Error).name}`)
        expect(code).not.toBe("ECONNREFUSED")
        expect(code).toBe("UND_ERR_SOCKET")
      }).pipe(Effect.provide(UndiciHttpClient.layer))
    )

    it.scopedLive("body read failures are ResponseError Decode (invalid JSON, reset mid-body)", () =>
      Effect.gen(function* () {
        const { url } = yield* startServer((req, res) => {
          if (req.url === "/bad-json") {
            res.setHeader("content-type", "application/json")
            return res.end("{not json")
          }
          // Promise 100 bytes, send 5, then kill the connection.
          res.writeHead(200, { "content-length": "100" })
          res.write("hello")
          setTimeout(() => res.socket?.destroy(), 20)
        })
        const client = yield* HttpClient.HttpClient

        const badJson = yield* Effect.flip(Effect.flatMap(client.get(`${url}/bad-json`), (r) => r.json))
        expect(badJson._tag).toBe("ResponseError")
        expect(badJson.reason).toBe("Decode")
        expect(badJson.cause).toBeInstanceOf(SyntaxError)

        const truncatedText = yield* Effect.flip(Effect.flatMap(client.get(`${url}/truncated`), (r) => r.text))
        expect(truncatedText._tag).toBe("ResponseError")
        expect(truncatedText.reason).toBe("Decode")

        const truncatedStream = yield* Effect.flip(
          Effect.flatMap(client.get(`${url}/truncated`), (r) => Stream.runDrain(r.stream))
        )
        expect(truncatedStream._tag).toBe("ResponseError")
        expect(truncatedStream.reason).toBe("Decode")
      }).pipe(Effect.provide(UndiciHttpClient.layer))
    )
  })

  describe("interruption", () => {
    it.scopedLive("interrupting a request the server never answers aborts it; server sees the close", () =>
      Effect.gen(function* () {
        const received = deferred()
        const closed = deferred()
        const { url } = yield* startServer((req) => {
          // Never respond.
          req.socket.once("close", () => closed.resolve())
          received.resolve()
        })
        const client = yield* HttpClient.HttpClient
        const request = yield* Effect.fork(client.get(`${url}/slow`))
        // The request reaches the server, then we give up (what Effect.timeout does)...
        yield* Effect.promise(() => received.promise)
        expect(Exit.isInterrupted(yield* Fiber.interrupt(request))).toBe(true)
        // ...and aborting closed the connection (undici's own timeouts are off and the
        // request is in flight, so nothing else would ever close it).
        expect(yield* closedWithin(closed.promise, CLOSE_MARGIN)).toBe(true)
      }).pipe(Effect.provide(UndiciHttpClient.layer))
    )

    it.scopedLive("stopping a response stream early releases the connection", () =>
      Effect.gen(function* () {
        const closed = deferred()
        const { url } = yield* startServer((req, res) => {
          req.socket.once("close", () => closed.resolve())
          res.writeHead(200)
          // Endless body.
          const timer = setInterval(() => res.write("tick"), 10)
          res.once("close", () => clearInterval(timer))
        })
        const client = yield* HttpClient.HttpClient
        const response = yield* client.get(url)
        const first = yield* Stream.runCollect(Stream.take(response.stream, 2))
        expect(Chunk.size(first)).toBe(2)
        expect(yield* closedWithin(closed.promise, CLOSE_MARGIN)).toBe(true)
      }).pipe(Effect.provide(UndiciHttpClient.layer))
    )
  })

  describe("layers", () => {
    it.scopedLive("layer keeps connections alive and closes its Agent when the scope closes", () =>
      Effect.gen(function* () {
        const sockets = new Set<Socket>()
        const closed = deferred()
        const { url } = yield* startServer((req, res) => {
          if (!sockets.has(req.socket)) {
            sockets.add(req.socket)
            req.socket.once("close", () => closed.resolve())
          }
          res.end("ok")
        })
        const scope = yield* Scope.make()
        const client = Context.get(yield* Layer.buildWithScope(UndiciHttpClient.layer, scope), HttpClient.HttpClient)

        for (let i = 0; i < 3; i++) {
          expect(yield* Effect.flatMap(client.get(url), (r) => r.text)).toBe("ok")
          // undici frees the connection a tick after the body ends; without a
          // pause the next request may be dispatched on a second socket.
          yield* Effect.sleep(20)
        }
        expect(sockets.size).toBe(1) // keep-alive: one socket reused
        expect(yield* closedWithin(closed.promise, 200)).toBe(false) // still open while the scope lives

        yield* Scope.close(scope, Exit.void)
        expect(yield* closedWithin(closed.promise, CLOSE_MARGIN)).toBe(true)

        // The client is unusable afterwards: the Agent is closed.
        const error = yield* Effect.flip(client.get(url))
        expect(error._tag).toBe("RequestError")
        expect(error.reason).toBe("Transport")
        expect((error.cause as Error).name).toBe("ClientDestroyedError")
      })
    )

    it.scopedLive("layer scope close does not hang on a response whose body is never read", () =>
      Effect.gen(function* () {
        const closed = deferred()
        const { url } = yield* startServer((req, res) => {
          req.socket.once("close", () => closed.resolve())
          res.writeHead(200)
          res.write("partial") // never ends
        })
        const scope = yield* Scope.make()
        const client = Context.get(yield* Layer.buildWithScope(UndiciHttpClient.layer, scope), HttpClient.HttpClient)
        const response = yield* client.get(url)
        expect(response.status).toBe(200)

        // Must not wait for the body, which never ends (else the test times out).
        yield* Scope.close(scope, Exit.void)
        expect(yield* closedWithin(closed.promise, CLOSE_MARGIN)).toBe(true)
      })
    )

    it.scopedLive("layerWithDispatcher uses, but does not close, the caller's dispatcher", () =>
      Effect.gen(function* () {
        const { url } = yield* startServer((_req, res) => res.end("mine"))
        const agent = new Agent({ keepAliveTimeout: 1000 })
        yield* Effect.addFinalizer(() => Effect.promise(() => agent.destroy()))

        const scope = yield* Scope.make()
        const client = Context.get(
          yield* Layer.buildWithScope(UndiciHttpClient.layerWithDispatcher(agent), scope),
          HttpClient.HttpClient
        )
        expect(yield* Effect.flatMap(client.get(url), (r) => r.text)).toBe("mine")
        yield* Scope.close(scope, Exit.void)
        expect(agent.closed).toBe(false)
        expect(agent.destroyed).toBe(false)
      })
    )
  })
})
