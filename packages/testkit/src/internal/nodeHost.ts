import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { Socket } from "node:net"

/** A web-standard handler served by {@link listen}. */
export type WebHandler = (request: Request) => Promise<Response>

export interface NodeHost {
  /** `http://host:port`, no trailing slash. */
  readonly url: string
  readonly port: number
  /** Stop listening and destroy every open socket (hanging requests included). */
  close(): Promise<void>
}

const bodyStream = (req: IncomingMessage): ReadableStream<Uint8Array> => {
  let finished = false
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (finished) return
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 0) <= 0) req.pause()
      })
      req.on("end", () => {
        if (finished) return
        finished = true
        controller.close()
      })
      req.on("error", (error) => {
        if (finished) return
        finished = true
        controller.error(error)
      })
    },
    pull() {
      req.resume()
    },
    cancel() {
      // Discard the rest of the upload without destroying the socket, so a response can still be sent.
      finished = true
      req.resume()
    }
  })
}

const toRequest = (req: IncomingMessage, base: string, signal: AbortSignal): Request => {
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  }
  const method = req.method ?? "GET"
  const hasBody = method !== "GET" && method !== "HEAD"
  const init: RequestInit & { duplex?: "half" } = { method, headers, signal }
  if (hasBody) {
    init.body = bodyStream(req)
    init.duplex = "half"
  }
  return new Request(new URL(req.url ?? "/", base), init)
}

const drain = (res: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      res.off("drain", done)
      res.off("close", done)
      resolve()
    }
    res.on("drain", done)
    res.on("close", done)
  })

const writeResponse = async (req: IncomingMessage, res: ServerResponse, response: Response): Promise<void> => {
  const reader = response.body?.getReader()
  // Read the first chunk BEFORE writeHead: a body that errors here means "reset the connection".
  let first: ReadableStreamReadResult<Uint8Array> = { done: true, value: undefined }
  if (reader !== undefined) {
    try {
      first = await reader.read()
    } catch {
      req.socket.destroy()
      return
    }
  }
  const headers: Record<string, string | Array<string>> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers["set-cookie"] = cookies
  res.writeHead(response.status, response.statusText || undefined, headers)
  if (reader === undefined || req.method === "HEAD") {
    await reader?.cancel().catch(() => undefined)
    res.end()
    return
  }
  try {
    let chunk = first
    while (!chunk.done) {
      if (!res.write(chunk.value)) await drain(res)
      if (res.destroyed) {
        await reader.cancel().catch(() => undefined)
        return
      }
      chunk = await reader.read()
    }
    res.end()
  } catch {
    // The body errored after the head was sent: no complete response, reset.
    req.socket.destroy()
  }
}

/** Serve `handler` with node:http on `host:port` (port 0 = any free port). */
export const listen = (
  handler: WebHandler,
  options: { readonly host: string; readonly port: number }
): Promise<NodeHost> =>
  new Promise((resolve, reject) => {
    const sockets = new Set<Socket>()
    let base = ""
    const server = createServer((req, res) => {
      const abort = new AbortController()
      res.on("close", () => {
        if (!res.writableFinished) abort.abort()
      })
      let request: Request
      try {
        request = toRequest(req, base, abort.signal)
      } catch {
        res.writeHead(400, { "content-type": "application/json; charset=utf-8" })
        res.end(JSON.stringify({ data: null, message: "Malformed HTTP request", success: false }))
        return
      }
      handler(request)
        .then((response) => writeResponse(req, res, response))
        .catch(() => {
          req.socket.destroy()
        })
    })
    // Longer than any client keeps an idle connection (undici: 4 s), so the client always closes
    // first: with Node's 5 s default, a busy machine's late client timer reused a connection the
    // emulator had just closed, and the send failed with ECONNRESET.
    server.keepAliveTimeout = 65_000
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    })
    server.once("error", reject)
    server.listen(options.port, options.host, () => {
      server.off("error", reject)
      const address = server.address()
      if (address === null || typeof address === "string") {
        reject(new Error("OneRoute emulator: unexpected server address"))
        return
      }
      const hostPart =
        address.family === "IPv6" || address.address.includes(":") ? `[${address.address}]` : address.address
      base = `http://${hostPart}:${address.port}`
      let closing: Promise<void> | undefined
      resolve({
        url: base,
        port: address.port,
        close: () => {
          closing ??= new Promise<void>((done) => {
            server.close(() => done())
            for (const socket of sockets) socket.destroy()
          })
          return closing
        }
      })
    })
  })
