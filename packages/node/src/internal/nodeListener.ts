import type { IncomingMessage, ServerResponse } from "node:http"
import type { TLSSocket } from "node:tls"
import { isNormalPath } from "@oneroute/core/adapter"

/** After answering, what the listener still reads of an unread body so the client sees the answer, not a reset. */
const DRAIN_LIMIT = 8 * 1024 * 1024

/** Methods `new Request` refuses (a WHATWG "forbidden method"). */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"])

/**
 * The request body as a web stream. Cancelling it (a handler that stops at a size limit) only
 * stops reading: the socket stays open, so the answer can still be written. `abandon()` detaches
 * the stream so the rest of the body can be drained without buffering it.
 */
const bodyStream = (req: IncomingMessage) => {
  let open = true
  const stop = () => {
    open = false
    req.pause()
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (!open) return
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 0) <= 0) req.pause()
      })
      req.once("end", () => open && controller.close())
      req.once("error", (error) => open && controller.error(error))
      req.once("aborted", () => open && controller.error(new Error("the client aborted the request")))
    },
    pull() {
      if (open) req.resume()
    },
    cancel: stop
  })
  return { stream, abandon: stop }
}

type Refusal = { readonly status: number; readonly reason: string }

/** The request as a web `Request`, or why it cannot be one (answered 400 or 405 without calling the handler). */
const toRequest = (req: IncomingMessage, body: ReturnType<typeof bodyStream>): Request | Refusal => {
  const method = (req.method ?? "GET").toUpperCase()
  if (FORBIDDEN_METHODS.has(method)) return { status: 405, reason: "Method not allowed" }
  // `new Request` would resolve `text/../template`: refuse what a proxy in front reads otherwise.
  if (!isNormalPath(req.url ?? "/")) return { status: 400, reason: "Bad Request: the path is not in normal form" }
  const protocol = (req.socket as Partial<TLSSocket>).encrypted === true ? "https" : "http"
  let url: URL
  try {
    // The Host header is only a label here: the relay's origin check never trusts it.
    url = new URL(`${protocol}://${req.headers.host ?? "localhost"}`)
    if (url.username !== "" || url.password !== "" || url.pathname !== "/") throw new TypeError("bad host")
    url = new URL(req.url ?? "/", url)
    if (url.username !== "" || url.password !== "") throw new TypeError("credentials in the target")
  } catch {
    return { status: 400, reason: "Bad Request: unusable Host or request target" }
  }
  try {
    const headers = new Headers()
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
    }
    const init: RequestInit & { duplex?: "half" } = { method, headers }
    if (method !== "GET" && method !== "HEAD") {
      init.body = body.stream
      init.duplex = "half"
    }
    return new Request(url, init)
  } catch {
    return { status: 400, reason: "Bad Request" }
  }
}

/** Writes `response` to `res`, streaming its body with backpressure. */
const writeResponse = async (response: Response, res: ServerResponse): Promise<void> => {
  for (const [name, value] of response.headers) res.appendHeader(name, value)
  res.writeHead(response.status)
  if (response.body === null) return void res.end()
  const reader = response.body.getReader()
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    if (res.destroyed) return void (await reader.cancel())
    if (!res.write(next.value)) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve))
  }
  res.end()
}

/**
 * A body the handler did not read (it answered 413 early, say) is read and dropped up to a
 * limit, so the client receives the answer instead of a connection reset; beyond it, the
 * connection is closed.
 */
const finishRequest = (req: IncomingMessage, res: ServerResponse) => {
  if (req.complete) return
  if (!res.headersSent) res.setHeader("connection", "close")
  let drained = 0
  req.on("data", (chunk: Buffer) => {
    drained += chunk.byteLength
    if (drained > DRAIN_LIMIT) req.socket.destroy()
  })
  req.resume()
}

const plain = (res: ServerResponse, status: number, text: string) => {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end(text)
}

/** The peer's address, as `Deno.serve` passes it: what a webhook receiver's `allowedIps` checks. */
export interface Connection {
  readonly remoteAddr: { readonly hostname: string | undefined }
}

export const toNodeListener =
  (handler: (request: Request, connection: Connection) => Promise<Response>) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    // A broken connection is the client's business, never a crash of the server.
    req.on("error", () => req.destroy())
    res.on("error", () => res.destroy())
    const body = bodyStream(req)
    const request = toRequest(req, body)
    const finish = () => {
      body.abandon()
      finishRequest(req, res)
    }
    if (!(request instanceof Request)) {
      finish()
      plain(res, request.status, request.reason)
      return
    }
    Promise.resolve()
      .then(() => handler(request, { remoteAddr: { hostname: req.socket.remoteAddress } }))
      .then((response) => {
        if (!req.complete) finish()
        return writeResponse(response, res)
      })
      .catch((error: unknown) => {
        if (res.headersSent || res.destroyed) return void res.destroy()
        plain(res, 500, "Internal Server Error")
        // A handler that throws is a bug in the server, not in the request: make it visible.
        console.error("@oneroute/node: the handler served by toNodeListener failed", error)
      })
  }
