import { nestsDeeperThan } from "@oneroute/core/adapter"
import { MAX_JSON_DEPTH } from "./constants.js"

/** CORS headers added to every answer to a browser page of an allowed origin (besides the origin itself). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-expose-headers": "retry-after"
}

/** Headers of a CORS preflight answer (to an allowed origin). */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type, apikey",
  "access-control-max-age": "600"
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"])

/** `http(s)://localhost|127.0.0.1|[::1](:port)`: a page served from this machine's loopback (a test runner's). */
export const isLoopbackOrigin = (origin: string): boolean => {
  try {
    const url = new URL(origin)
    return (
      url.origin === origin &&
      (url.protocol === "http:" || url.protocol === "https:") &&
      LOOPBACK_HOSTS.has(url.hostname)
    )
  } catch {
    return false
  }
}

/** `origin` written as a browser sends it (`scheme://host[:port]`, no path), or undefined. */
export const normalOrigin = (origin: unknown): string | undefined => {
  if (typeof origin !== "string" || origin.length > 2048) return undefined
  try {
    const url = new URL(origin)
    return url.origin === origin && (url.protocol === "http:" || url.protocol === "https:") ? origin : undefined
  } catch {
    return undefined
  }
}

const JSON_TYPE = "application/json; charset=utf-8"

/** A JSON response. */
export const json = (status: number, body: unknown, headers?: Record<string, string>): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE, ...headers } })

/** The OneRoute error envelope `{ data: null, message, success: false }`. */
export const fail = (status: number, message: string, headers?: Record<string, string>): Response =>
  json(status, { data: null, message, success: false }, headers)

/** The success envelope used by the control routes. */
export const ok = (data: unknown, message = "OK"): Response => json(200, { data, message, success: true })

/**
 * A response whose body stream errors: hosts turn this into a destroyed connection
 * (no complete response reaches the client). This is how the handler expresses a reset portably.
 */
export const resetResponse = (): Response =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.error(new Error("OneRoute emulator: connection reset"))
      }
    }),
    { status: 200 }
  )

/** Statuses whose responses cannot have a body. */
export const isNullBodyStatus = (status: number): boolean => status === 204 || status === 205 || status === 304

/**
 * Copy of `response` for a request from `origin` (null: not from a browser page, no CORS headers
 * needed). The caller has checked that `origin` is allowed; answers vary by origin.
 */
export const withCors = (response: Response, origin: string | null): Response => {
  const headers = new Headers(response.headers)
  headers.append("vary", "origin")
  if (origin !== null) {
    headers.set("access-control-allow-origin", origin)
    for (const [name, value] of Object.entries(CORS_HEADERS)) if (!headers.has(name)) headers.set(name, value)
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
}

/** True when the Content-Type media type is application/json (parameters such as charset allowed). */
export const isJsonContentType = (value: string | null): boolean =>
  value !== null && (value.split(";")[0] ?? "").trim().toLowerCase() === "application/json"

export const TOO_LARGE = Symbol("too-large")

/**
 * The checks every send endpoint runs first, in the documented order: `POST` (405), the `apiKey`
 * (401, before the body is read), a JSON `Content-Type` (415), at most `limit` bytes (413), a
 * JSON object (400). The failure's `Response`, or the body.
 */
export const readSendRequest = async (
  request: Request,
  options: { readonly path: string; readonly apiKey: string; readonly limit: number }
): Promise<Response | Record<string, unknown>> => {
  if (request.method !== "POST") {
    return fail(405, `Method ${request.method} is not allowed on ${options.path}; use POST`, { allow: "POST, OPTIONS" })
  }
  if (request.headers.get("apikey") !== options.apiKey) return fail(401, "Invalid API Key")
  if (!isJsonContentType(request.headers.get("content-type"))) {
    return fail(415, "Content-Type must be application/json")
  }
  const bytes = await readBody(request, options.limit)
  if (bytes === TOO_LARGE) return fail(413, `Request body must not exceed ${options.limit} bytes`)
  const parsed = parseJsonObject(bytes)
  return parsed.ok ? parsed.value : fail(400, parsed.message)
}

/** Read the request body, giving up (and cancelling the stream) once it exceeds `limit` bytes. */
export const readBody = async (request: Request, limit: number): Promise<Uint8Array | typeof TOO_LARGE> => {
  const declared = request.headers.get("content-length")
  if (declared !== null && Number(declared) > limit) {
    await request.body?.cancel().catch(() => undefined)
    return TOO_LARGE
  }
  if (request.body === null) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Array<Uint8Array> = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      return TOO_LARGE
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

export type JsonObjectResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly message: string }

const NOT_AN_OBJECT = "Request body must be a JSON object"
const TOO_DEEP = `Request body must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep`

/** Decode UTF-8 and parse a JSON object (not an array, not null) nested at most {@link MAX_JSON_DEPTH} deep. */
export const parseJsonObject = (bytes: Uint8Array): JsonObjectResult => {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return { ok: false, message: TOO_DEEP }
    const value: unknown = JSON.parse(text)
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> }
    }
  } catch {
    // fall through
  }
  return { ok: false, message: NOT_AN_OBJECT }
}

/** Resolve after `ms` milliseconds, or early when `signal` aborts. */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener("abort", done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener("abort", done, { once: true })
  })
