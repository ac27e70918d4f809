import type { IncomingMessage, ServerResponse } from "node:http"

/**
 * Largest body the console reads itself (`/demo/inbound`: `{"customer":"+234 801 234 5678"}` is 35
 * bytes). Past it the answer is 413 and reading stops: nothing past the limit is kept.
 */
export const MAX_CONSOLE_BODY_BYTES = 1024

/**
 * After a refusal, how much of an unread body is still read (and dropped) so the client sees the
 * answer rather than a reset, and for how long; past either the connection is closed.
 */
const DISCARD_LIMIT = 8 * 1024 * 1024
const LINGER_MS = 5_000

export const TOO_LARGE = Symbol("too-large")

/** The body, or `TOO_LARGE` as soon as it passes `limit` bytes (the rest is left unread). */
export const readBounded = (req: IncomingMessage, limit: number): Promise<Buffer | typeof TOO_LARGE> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"])
    if (declared > limit) return resolve(TOO_LARGE)
    const chunks: Array<Buffer> = []
    let total = 0
    const done = () => {
      req.off("data", onData)
      req.off("end", onEnd)
      req.off("error", onError)
    }
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength
      if (total > limit) {
        done()
        req.pause()
        return resolve(TOO_LARGE)
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      done()
      resolve(Buffer.concat(chunks))
    }
    const onError = (error: Error) => {
      done()
      reject(error)
    }
    req.on("data", onData)
    req.on("end", onEnd)
    req.on("error", onError)
  })

/**
 * Answers `status` with a plain-text `reason`. When the body is still coming, Node closes the
 * connection once the answer is written; closing with unread bytes resets it, and the client may
 * lose the answer. So the close is a lingering one: the answer, then a FIN, then what still comes
 * is read and dropped (nothing kept) until the client closes, up to {@link DISCARD_LIMIT} bytes
 * or {@link LINGER_MS}, whichever comes first.
 */
export const refuse = (req: IncomingMessage, res: ServerResponse, status: number, reason: string, headers = {}) => {
  if (!req.complete) {
    const socket = req.socket
    let dropped = 0
    req.on("data", (chunk: Buffer) => {
      dropped += chunk.byteLength
      if (dropped > DISCARD_LIMIT) socket.destroy()
    })
    req.on("error", () => {})
    req.resume()
    // What Node calls to close this connection after the answer.
    socket.destroySoon = () => {
      socket.end()
      const timer = setTimeout(() => socket.destroy(), LINGER_MS)
      timer.unref()
      socket.once("close", () => clearTimeout(timer))
    }
  }
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close", ...headers }).end(reason)
}

/** The cookie that ties a request to the page this server served (HttpOnly, SameSite=Strict). */
export const SESSION_COOKIE = "oneroute_demo"

/** The session cookie's value in a request, if it has one. */
export const sessionOf = (cookieHeader: string | null | undefined): string | undefined =>
  cookieHeader
    ?.split(";")
    .map((part) => part.trim().split("="))
    .find(([name]) => name === SESSION_COOKIE)?.[1]
