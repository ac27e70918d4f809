import type { IncomingMessage, ServerResponse } from "node:http"
import { Readable } from "node:stream"
import type { ReadableStream as NodeReadableStream } from "node:stream/web"

const toRequest = (req: IncomingMessage): Request => {
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  }
  const method = req.method ?? "GET"
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`)
  const init: RequestInit & { duplex?: "half" } = { method, headers }
  if (method !== "GET" && method !== "HEAD") {
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>
    init.duplex = "half"
  }
  return new Request(url, init)
}

/** Serves a web-standard handler from `node:http` (or Express/Connect, which pass the same pair). */
export const toNodeListener =
  (handler: (request: Request) => Promise<Response>) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    handler(toRequest(req))
      .then((response) => {
        res.writeHead(response.status, [...response.headers])
        if (response.body === null) return void res.end()
        Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>).pipe(res)
      })
      .catch((error: unknown) => {
        res.destroyed || res.headersSent ? res.destroy() : res.writeHead(500).end()
        // A handler that throws is a bug in the server, not in the request: make it visible.
        console.error("@oneroute/node: the relay handler failed", error)
      })
  }
