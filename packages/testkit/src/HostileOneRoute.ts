/**
 * A hostile OneRoute: not the emulator, but a scriptable server on 127.0.0.1 written to break
 * clients. Every request is recorded (bounded) with a fingerprint of its body, so a test can
 * count the upstream copies of one send, and answered by the scripted {@link HostileAttack}:
 * odd statuses after acting, broken streams, deep and huge JSON, echoes of the API key in every
 * encoding, odd per-recipient statuses, hostile `Retry-After` values, and the documented answers.
 * Each attack declares whether "OneRoute" acted on the POST (`acted`), the truth a client's
 * `sendOutcome` must respect. Node only (`node:http`).
 *
 * @since 0.3.0
 */
import { createHash } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { type AttackContext, allAttacks, type HostileAnswer, type HostileAttack } from "./internal/hostile/attacks.js"

export type {
  AttackContext,
  HostileAnswer,
  HostileAttack,
  HostileAttackGroup,
  PlainAnswer,
  StreamFault
} from "./internal/hostile/attacks.js"
export { ECHO_ENCODINGS, type EchoEncoding, encodeKey } from "./internal/hostile/encodings.js"

/**
 * Every attack the hostile OneRoute knows, in a stable order (names are unique).
 *
 * @since 0.3.0
 */
export const hostileAttacks: ReadonlyArray<HostileAttack> = allAttacks

/**
 * An API key whose characters escape differently in JSON, URLs, HTML and base64: what the
 * hostile suite uses by default (printable ASCII without spaces, as the SDK's options accept).
 *
 * @since 0.3.0
 */
export const HOSTILE_API_KEY = "sk_live-A&b<c>\"d'e\\f%2Fg+h/i=j"

/**
 * Options of {@link startHostileOneRoute}.
 *
 * @since 0.3.0
 */
export interface HostileOneRouteOptions {
  /** The key the test's clients send, which attacks echo. Default {@link HOSTILE_API_KEY}. */
  readonly apiKey?: string
  /** The most requests (and distinct fingerprints) recorded until `reset()`; later ones only count in `dropped`. Default 1000. */
  readonly maxRecorded?: number
  /** The largest request body read, in bytes; a larger one is answered 413 and recorded as `oversize`. Default 256 KiB. */
  readonly maxRequestBytes?: number
  /** How long a hanging answer keeps its connection before the server destroys it, in ms. Default 30000. */
  readonly hangMs?: number
}

/**
 * One request the hostile server received.
 *
 * @since 0.3.0
 */
export interface HostileRequest {
  /** The request's HTTP method. */
  readonly method: string
  /** The request's path (and query). */
  readonly path: string
  /** SHA-256 (hex) of the body bytes: equal for every copy of one send. */
  readonly fingerprint: string
  /** The body's size in bytes. */
  readonly bytes: number
  /** The body was larger than `maxRequestBytes` (the fingerprint is of its start). */
  readonly oversize: boolean
  /** Whether the `apikey` header was the server's key. */
  readonly apiKeyMatched: boolean
  /** The attack that answered it (`"none"` when nothing was scripted). */
  readonly attack: string
  /** `Date.now()` when its body had arrived. */
  readonly at: number
}

/**
 * A running hostile OneRoute.
 *
 * @since 0.3.0
 */
export interface HostileOneRoute {
  /** `http://127.0.0.1:<port>`: a client's `baseUrl`. */
  readonly url: string
  /** The key the server expects, which attacks echo. */
  readonly apiKey: string
  /**
   * Answers every following request with `attack`; `success` is the endpoint's documented success
   * envelope for the send (what `valid-success` answers and other attacks distort). Unscripted, the
   * server answers 500.
   */
  readonly script: (attack: HostileAttack, options?: { readonly success?: unknown }) => void
  /** The requests since the last `reset()`, in arrival order (at most `maxRecorded`). */
  readonly received: () => ReadonlyArray<HostileRequest>
  /** How many requests with this body fingerprint arrived since the last `reset()`. */
  readonly copies: (fingerprint: string) => number
  /** Requests since the last `reset()` that were not recorded because a cap was reached. */
  readonly dropped: () => number
  /** Requests received since the server started (never reset). */
  readonly total: () => number
  /** Forgets what was received and the script. */
  readonly reset: () => void
  /** Closes every connection (hanging ones included) and the server. */
  readonly close: () => Promise<void>
}

/**
 * The SHA-256 fingerprint (hex) the hostile server records for a request body.
 *
 * @since 0.3.0
 */
export const fingerprintOf = (body: string | Uint8Array): string => createHash("sha256").update(body).digest("hex")

const GENERIC_SUCCESS = { data: null, message: "ok", success: true }

const recipientsOf = (request: unknown): number =>
  typeof request === "object" &&
  request !== null &&
  "messages" in request &&
  Array.isArray(request.messages) &&
  request.messages.length > 0
    ? Math.min(request.messages.length, 1000)
    : 1

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const rawHead = (status: number, headers: ReadonlyArray<string>): string =>
  `HTTP/1.1 ${status} Hostile\r\n${headers.map((line) => `${line}\r\n`).join("")}\r\n`

/**
 * Starts a hostile OneRoute on 127.0.0.1 (a free port). Close it with `close()`.
 *
 * ```ts
 * import { hostileAttacks, startHostileOneRoute } from "@oneroute/testkit"
 *
 * const hostile = await startHostileOneRoute()
 * hostile.script(hostileAttacks.find((attack) => attack.name === "status-303-with-location")!)
 * // … send with { apiKey: hostile.apiKey, baseUrl: hostile.url }, then:
 * console.log(hostile.received().length)
 * await hostile.close()
 * ```
 *
 * @since 0.3.0
 */
export const startHostileOneRoute = async (options: HostileOneRouteOptions = {}): Promise<HostileOneRoute> => {
  const apiKey = options.apiKey ?? HOSTILE_API_KEY
  const maxRecorded = options.maxRecorded ?? 1000
  const maxRequestBytes = options.maxRequestBytes ?? 256 * 1024
  const hangMs = options.hangMs ?? 30_000
  let script: { readonly attack: HostileAttack; readonly success: unknown } | undefined
  let received: Array<HostileRequest> = []
  let counts = new Map<string, number>()
  let dropped = 0
  let total = 0
  const timers = new Set<ReturnType<typeof setTimeout>>()

  const record = (request: HostileRequest) => {
    total++
    const known = counts.get(request.fingerprint)
    if (received.length >= maxRecorded || (known === undefined && counts.size >= maxRecorded)) {
      dropped++
      return
    }
    received.push(request)
    counts.set(request.fingerprint, (known ?? 0) + 1)
  }

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      run()
    }, ms)
    timers.add(timer)
  }

  const reset = (socket: Socket) => {
    if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy()
    else socket.destroy()
  }

  const respond = (answer: HostileAnswer, request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket
    switch (answer.kind) {
      case "answer": {
        const body = Buffer.from(answer.body ?? "")
        response.writeHead(answer.status, { ...answer.headers, "content-length": String(body.byteLength) })
        response.end(body)
        return
      }
      case "reset-after-headers":
        response.writeHead(answer.status, {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(answer.body))
        })
        response.flushHeaders()
        later(20, () => reset(socket))
        return
      case "reset-mid-body": {
        const body = Buffer.from(answer.body)
        response.writeHead(answer.status, {
          "content-type": "application/json",
          "content-length": String(body.byteLength)
        })
        response.write(body.subarray(0, Math.floor(body.byteLength / 2)))
        later(20, () => reset(socket))
        return
      }
      case "hang-mid-body": {
        const body = Buffer.from(answer.body)
        response.writeHead(answer.status, {
          "content-type": "application/json",
          "content-length": String(body.byteLength)
        })
        response.write(body.subarray(0, Math.floor(body.byteLength / 2)))
        later(hangMs, () => socket.destroy())
        return
      }
      case "content-length-too-large": {
        const body = Buffer.from(answer.body)
        socket.write(
          rawHead(answer.status, ["content-type: application/json", `content-length: ${body.byteLength + 64}`])
        )
        socket.end(body)
        return
      }
      case "broken-chunked": {
        const body = answer.body
        socket.write(
          rawHead(answer.status, ["content-type: application/json", "transfer-encoding: chunked"]) +
            `${Buffer.byteLength(body.slice(0, 8)).toString(16)}\r\n${body.slice(0, 8)}\r\nzz\r\n${body.slice(8)}\r\n`
        )
        socket.end()
        return
      }
    }
  }

  const server = createServer((request, response) => {
    const chunks: Array<Buffer> = []
    let size = 0
    let oversize = false
    request.on("data", (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > maxRequestBytes) {
        oversize = true
        return
      }
      chunks.push(chunk)
    })
    request.on("error", () => undefined)
    request.on("end", () => {
      const body = Buffer.concat(chunks)
      const current = script
      record({
        method: request.method ?? "",
        path: (request.url ?? "").slice(0, 2048),
        fingerprint: fingerprintOf(body),
        bytes: size,
        oversize,
        apiKeyMatched: request.headers.apikey === apiKey,
        attack: current?.attack.name ?? "none",
        at: Date.now()
      })
      if (oversize) {
        response.writeHead(413, { "content-type": "application/json", connection: "close" })
        response.end(JSON.stringify({ data: null, message: "Request body too large", success: false }))
        return
      }
      if (current === undefined) {
        response.writeHead(500, { "content-type": "application/json" })
        response.end(JSON.stringify({ data: null, message: "No attack scripted", success: false }))
        return
      }
      const text = body.toString("utf8")
      const parsed = parse(text)
      const context: AttackContext = {
        apiKey,
        request: parsed,
        recipients: recipientsOf(parsed),
        success: current.success
      }
      try {
        respond(current.attack.answer(context), request, response)
      } catch (error) {
        if (!response.headersSent) {
          response.writeHead(599, { "content-type": "text/plain" })
          response.end(`hostile attack ${current.attack.name} failed: ${String(error)}`)
        } else {
          request.socket.destroy()
        }
      }
    })
  })
  server.on("clientError", (_error, socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    script: (attack, scriptOptions = {}) => {
      script = { attack, success: scriptOptions.success ?? GENERIC_SUCCESS }
    },
    received: () => received.slice(),
    copies: (fingerprint) => counts.get(fingerprint) ?? 0,
    dropped: () => dropped,
    total: () => total,
    reset: () => {
      script = undefined
      received = []
      counts = new Map()
      dropped = 0
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
