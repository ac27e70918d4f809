/**
 * The transport probe: an HTTP/1.1 server on a raw `node:net` socket (Node, and Deno through its
 * Node compatibility), so it sees every byte a transport sends and can answer in ways a
 * web-standard handler cannot: reset after reading a request, hang mid-body, promise more body
 * than it sends. Keep-alive connections serve many requests, which is what lets a transport's
 * silent resend on a reused connection show up as a second request.
 */
import { Buffer } from "node:buffer"
import { createServer, type Socket } from "node:net"
import { gzipSync } from "node:zlib"
import {
  caseUrl,
  type Framing,
  isAnswer,
  PARTIAL_BODY,
  type ProbeAnswer,
  type ProbeLog,
  type ProbeRequest
} from "./answers.js"
import { BadRequest, type RawRequest, takeRequest } from "./requestParser.js"

/** A running probe. */
export interface TransportProbe {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string
  /** Closes every connection (hanging answers included) and the server. */
  readonly close: () => Promise<void>
}

interface CaseState {
  readonly requests: Array<ProbeRequest>
  cutShort: number
  bodyBytesSent: number
}

/** Cases remembered at once; the oldest is forgotten first. */
const MAX_CASES = 1000
/** Requests logged per case; a case's later ones are answered 429 (no case of the suite sends more than a few). */
const MAX_REQUESTS_PER_CASE = 100
const CORS = "access-control-allow-origin: *\r\naccess-control-expose-headers: *\r\n"
const HUGE_BLOCK = Buffer.alloc(16 * 1024, "x")

const head = (status: number, lines: ReadonlyArray<string>): string =>
  `HTTP/1.1 ${status} Probe\r\n${CORS}${lines.map((line) => `${line}\r\n`).join("")}\r\n`

const chunk = (bytes: Uint8Array): Buffer =>
  Buffer.concat([Buffer.from(`${bytes.byteLength.toString(16)}\r\n`), bytes, Buffer.from("\r\n")])
const LAST_CHUNK = "0\r\n\r\n"

const framingLine = (framing: Framing, bytes: number): ReadonlyArray<string> =>
  framing === "length"
    ? [`content-length: ${bytes}`]
    : framing === "chunked"
      ? ["transfer-encoding: chunked"]
      : ["connection: close"]

/** How an answer left its connection (see `answerWith`). */
type Outcome = "keep-alive" | "close" | "unfinished"

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts a probe on 127.0.0.1 (a free port). */
export const startTransportProbe = async (): Promise<TransportProbe> => {
  const cases = new Map<string, CaseState>()
  const sockets = new Set<Socket>()

  const stateOf = (caseId: string): CaseState => {
    const known = cases.get(caseId)
    if (known !== undefined) return known
    if (cases.size >= MAX_CASES) cases.delete(cases.keys().next().value ?? "")
    const state: CaseState = { requests: [], cutShort: 0, bodyBytesSent: 0 }
    cases.set(caseId, state)
    return state
  }

  /** Writes, resolving once the socket took the bytes (false when it closed first). */
  const write = (socket: Socket, bytes: string | Uint8Array): Promise<boolean> =>
    new Promise((resolve) => {
      if (socket.destroyed) return resolve(false)
      socket.write(bytes, (error) => resolve(error == null))
    })

  const reset = (socket: Socket) => {
    if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy()
    else socket.destroy()
  }

  /**
   * Sends `answer`: `keep-alive` when it was written whole and the connection can carry another
   * request, `close` when the answer ends the connection (on purpose), `unfinished` when it is
   * not written whole (the client closed first, or the answer hangs).
   */
  const answerWith = async (
    socket: Socket,
    answer: ProbeAnswer,
    state: CaseState,
    caseId: string
  ): Promise<Outcome> => {
    const sendBody = async (bytes: Uint8Array, framing: Framing, pieces = 1): Promise<Outcome> => {
      const size = Math.max(1, Math.ceil(bytes.byteLength / pieces))
      for (let offset = 0; offset < bytes.byteLength; offset += size) {
        if (offset > 0) await sleep(10)
        const piece = bytes.subarray(offset, offset + size)
        if (!(await write(socket, framing === "chunked" ? chunk(piece) : piece))) return "unfinished"
        state.bodyBytesSent += piece.byteLength
      }
      if (framing === "eof") return "close"
      return framing === "length" || (await write(socket, LAST_CHUNK)) ? "keep-alive" : "unfinished"
    }
    switch (answer.kind) {
      case "plain": {
        const body = Buffer.from(answer.body ?? "")
        const framing = answer.framing ?? "length"
        const headers = Object.entries(answer.headers ?? {}).map(([name, value]) => `${name}: ${value}`)
        if (answer.status === 204 || answer.status === 304) {
          return (await write(socket, head(answer.status, headers))) ? "keep-alive" : "unfinished"
        }
        await write(socket, head(answer.status, [...headers, ...framingLine(framing, body.byteLength)]))
        return sendBody(body, framing, answer.pieces)
      }
      case "redirect": {
        const location = caseUrl("", caseId, { kind: "plain", status: 200, body: "followed" })
        const written = await write(socket, head(answer.status, [`location: ${location}`, "content-length: 0"]))
        return written ? "keep-alive" : "unfinished"
      }
      case "gzip": {
        const body = gzipSync(Buffer.alloc(answer.inflatedBytes, "x"))
        await write(
          socket,
          head(200, ["content-encoding: gzip", "content-type: text/plain", ...framingLine("length", body.byteLength)])
        )
        return sendBody(body, "length")
      }
      case "huge": {
        await write(socket, head(200, ["content-type: text/plain", ...framingLine(answer.framing, answer.bytes)]))
        for (let sent = 0; sent < answer.bytes; sent += HUGE_BLOCK.byteLength) {
          const block = HUGE_BLOCK.subarray(0, Math.min(HUGE_BLOCK.byteLength, answer.bytes - sent))
          if (!(await write(socket, answer.framing === "chunked" ? chunk(block) : block))) return "unfinished"
          state.bodyBytesSent += block.byteLength
        }
        return answer.framing === "length" || (await write(socket, LAST_CHUNK)) ? "keep-alive" : "unfinished"
      }
      case "hang":
      case "reset":
      case "short": {
        if (answer.kind === "short" || answer.stage === "mid-body") {
          const partial = Buffer.from(PARTIAL_BODY)
          const half = partial.subarray(0, partial.byteLength / 2)
          await write(
            socket,
            head(200, ["content-type: application/json", ...framingLine(answer.framing, partial.byteLength)])
          )
          await write(socket, answer.framing === "chunked" ? chunk(half) : half)
          state.bodyBytesSent += half.byteLength
        }
        if (answer.kind === "hang") return "unfinished"
        if (answer.kind === "reset") reset(socket)
        else socket.end()
        return "close"
      }
    }
  }

  const serve = async (socket: Socket, request: RawRequest): Promise<Outcome> => {
    const [path = "", query = ""] = request.target.split("?")
    const [, route, id = ""] = path.split("/")
    const caseId = decodeCaseId(id)
    if (request.method === "OPTIONS") {
      const asked = request.headers.find(([name]) => name.toLowerCase() === "access-control-request-headers")?.[1]
      await write(
        socket,
        head(204, [
          "access-control-allow-methods: POST, GET",
          `access-control-allow-headers: ${asked ?? "*"}`,
          "access-control-max-age: 600"
        ])
      )
      return "keep-alive"
    }
    if (route === "log" && request.method === "GET") {
      const state = caseId === undefined ? undefined : cases.get(caseId)
      const log: ProbeLog = {
        requests: state?.requests ?? [],
        cutShort: state?.cutShort ?? 0,
        bodyBytesSent: state?.bodyBytesSent ?? 0
      }
      const body = Buffer.from(JSON.stringify(log))
      await write(socket, head(200, ["content-type: application/json", `content-length: ${body.byteLength}`]))
      return (await write(socket, body)) ? "keep-alive" : "unfinished"
    }
    const answer = route === "case" ? parseAnswer(new URLSearchParams(query).get("answer")) : undefined
    if (answer === undefined || caseId === undefined) {
      const body = "unknown probe route or answer"
      await write(socket, head(404, ["content-type: text/plain", `content-length: ${body.length}`]))
      return (await write(socket, body)) ? "keep-alive" : "unfinished"
    }
    const state = stateOf(caseId)
    if (state.requests.length >= MAX_REQUESTS_PER_CASE) {
      const body = "this case has sent too many requests"
      await write(socket, head(429, ["content-type: text/plain", `content-length: ${body.length}`]))
      return (await write(socket, body)) ? "keep-alive" : "unfinished"
    }
    state.requests.push({
      method: request.method,
      target: request.target,
      headers: request.headers,
      body: Buffer.from(request.body).toString("base64")
    })
    // Counts the client closing the connection before the answer was written whole.
    const cutShort = () => state.cutShort++
    socket.once("close", cutShort)
    const outcome = await answerWith(socket, answer, state, caseId)
    if (outcome !== "unfinished") socket.off("close", cutShort)
    return outcome
  }

  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on("error", () => {})
    socket.on("close", () => sockets.delete(socket))
    let buffered: Buffer = Buffer.alloc(0)
    let busy = false
    // Once an answer ended or holds the connection, later bytes on it are not requests to serve.
    let stopped = false
    const drain = async () => {
      if (busy || stopped) return
      busy = true
      try {
        for (;;) {
          const taken = takeRequest(buffered)
          if (taken === undefined) return
          buffered = taken.rest
          const outcome = await serve(socket, taken.request)
          if (outcome === "close" && !socket.destroyed && !socket.writableEnded) socket.end()
          if (outcome !== "keep-alive") {
            stopped = true
            return
          }
        }
      } catch (error) {
        stopped = true
        if (error instanceof BadRequest) socket.end(head(400, ["connection: close", "content-length: 0"]))
        else socket.destroy()
      } finally {
        busy = false
      }
    }
    socket.on("data", (data: Buffer) => {
      buffered = Buffer.concat([buffered, data])
      void drain()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const address = server.address()
  return {
    url: `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** A case id from the URL, or `undefined` when its percent-encoding is broken. */
const decodeCaseId = (encoded: string): string | undefined => {
  try {
    return decodeURIComponent(encoded)
  } catch {
    return undefined
  }
}

/** The answer a case's URL names, when it is one the probe can write safely (else the probe answers 404). */
const parseAnswer = (text: string | null): ProbeAnswer | undefined => {
  if (text === null) return undefined
  try {
    const answer: unknown = JSON.parse(text)
    return isAnswer(answer) ? answer : undefined
  } catch {
    return undefined
  }
}
