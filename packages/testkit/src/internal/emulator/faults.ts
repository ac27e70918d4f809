import { MAX_FAULT_BODY_LENGTH, MAX_FAULT_HEADER_LENGTH } from "./constants.js"
import { show } from "./errors.js"
import { fail, isNullBodyStatus, resetResponse, sleep } from "./http.js"
import type { EmulatorCore } from "./state.js"
import type { Fault } from "./types.js"

const ALLOWED_KEYS: Readonly<Record<Fault["kind"], ReadonlyArray<string>>> = {
  latency: ["ms"],
  status: ["status", "body", "contentType"],
  "rate-limit": ["retryAfter"],
  malformed: [],
  truncated: [],
  reset: ["when"],
  hang: ["accept"]
}

const isHeaderValue = (value: string): boolean => value.length <= MAX_FAULT_HEADER_LENGTH && !/[\r\n\0]/.test(value)

/** Validate a fault (from code or from JSON) and return a normalized copy. Throws TypeError with a clear message. */
export const parseFault = (input: unknown): Fault => {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new TypeError("fault must be an object")
  const raw = input as Record<string, unknown>
  const kind = raw.kind
  if (typeof kind !== "string" || !Object.hasOwn(ALLOWED_KEYS, kind)) {
    throw new TypeError(`fault.kind must be one of ${Object.keys(ALLOWED_KEYS).join(", ")} (got ${show(kind)})`)
  }
  const k = kind as Fault["kind"]
  const allowed = new Set(["kind", "times", ...ALLOWED_KEYS[k]])
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) throw new TypeError(`unknown property ${show(key)} for a ${k} fault`)
  }
  const times = raw.times
  if (times !== undefined && (typeof times !== "number" || !Number.isSafeInteger(times) || times < 1)) {
    throw new TypeError("fault.times must be a positive integer")
  }
  const base = times === undefined ? {} : { times }
  switch (k) {
    case "latency": {
      const ms = raw.ms
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0 || ms > 2_147_483_647) {
        throw new TypeError("latency fault: ms must be a non-negative number of milliseconds")
      }
      return { kind: k, ms, ...base }
    }
    case "status": {
      const { status, body, contentType } = raw
      if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
        throw new TypeError("status fault: status must be an integer from 200 to 599")
      }
      if (body !== undefined && (typeof body !== "string" || body.length > MAX_FAULT_BODY_LENGTH)) {
        throw new TypeError(`status fault: body must be a string of at most ${MAX_FAULT_BODY_LENGTH} characters`)
      }
      if (contentType !== undefined && (typeof contentType !== "string" || !isHeaderValue(contentType))) {
        throw new TypeError(
          `status fault: contentType must be a header-safe string of at most ${MAX_FAULT_HEADER_LENGTH} characters`
        )
      }
      return {
        kind: k,
        status,
        ...(body === undefined ? {} : { body }),
        ...(contentType === undefined ? {} : { contentType }),
        ...base
      }
    }
    case "rate-limit": {
      const retryAfter = raw.retryAfter
      if (retryAfter === undefined) return { kind: k, ...base }
      if (typeof retryAfter === "number" && Number.isFinite(retryAfter) && retryAfter >= 0) {
        return { kind: k, retryAfter, ...base }
      }
      if (typeof retryAfter === "string" && retryAfter.length > 0 && isHeaderValue(retryAfter)) {
        return { kind: k, retryAfter, ...base }
      }
      throw new TypeError(
        `rate-limit fault: retryAfter must be a non-negative number of seconds or an HTTP-date string of at most ${MAX_FAULT_HEADER_LENGTH} characters`
      )
    }
    case "malformed":
    case "truncated":
      return { kind: k, ...base }
    case "reset": {
      const when = raw.when
      if (when !== "before-accept" && when !== "after-accept") {
        throw new TypeError('reset fault: when must be "before-accept" or "after-accept"')
      }
      return { kind: k, when, ...base }
    }
    case "hang": {
      const accept = raw.accept
      if (accept !== undefined && typeof accept !== "boolean")
        throw new TypeError("hang fault: accept must be a boolean")
      return { kind: k, ...(accept === undefined ? {} : { accept }), ...base }
    }
  }
}

const STATUS_MESSAGES: Readonly<Record<number, string>> = {
  400: "Bad request",
  401: "Invalid API Key",
  403: "Forbidden",
  404: "Not found",
  408: "Request timeout",
  409: "Conflict",
  422: "Unprocessable entity",
  429: "Too many requests",
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service unavailable",
  504: "Gateway timeout"
}

/** Message used in the default body of a status fault. */
export const statusMessage = (status: number): string =>
  STATUS_MESSAGES[status] ?? `Request failed with status ${status}`

/** Body of a `malformed` fault: what a misbehaving proxy might put in front of a 200. */
export const MALFORMED_BODY = "<html><head><title>OneRoute</title></head><body>Message sent to customer</body></html>"

const replaceBody = (response: Response, body: BodyInit | null): Response =>
  new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })

/**
 * Run `normal` under `fault`. Faults that "accept" (malformed, truncated, reset after-accept,
 * hang with accept) run normal handling first, so a valid message is recorded.
 */
export const applyFault = async (
  fault: Fault,
  core: EmulatorCore,
  request: Request,
  normal: () => Promise<Response>
): Promise<Response> => {
  switch (fault.kind) {
    case "latency":
      await sleep(fault.ms, request.signal)
      return request.signal.aborted ? resetResponse() : normal()
    case "status": {
      if (isNullBodyStatus(fault.status)) return new Response(null, { status: fault.status })
      if (fault.body === undefined) {
        const response = fail(fault.status, statusMessage(fault.status))
        if (fault.contentType !== undefined) response.headers.set("content-type", fault.contentType)
        return response
      }
      return new Response(fault.body, {
        status: fault.status,
        headers: { "content-type": fault.contentType ?? "text/plain; charset=utf-8" }
      })
    }
    case "rate-limit":
      return fail(
        429,
        "Too many requests",
        fault.retryAfter === undefined ? undefined : { "retry-after": String(fault.retryAfter) }
      )
    case "malformed": {
      const real = await normal()
      await real.body?.cancel()
      return replaceBody(real, MALFORMED_BODY)
    }
    case "truncated": {
      const real = await normal()
      const bytes = new Uint8Array(await real.arrayBuffer())
      return replaceBody(real, bytes.slice(0, Math.floor(bytes.byteLength / 2)))
    }
    case "reset":
      if (fault.when === "after-accept") await (await normal()).body?.cancel()
      return resetResponse()
    case "hang":
      if (fault.accept === true) await (await normal()).body?.cancel()
      await core.hold(request.signal)
      return resetResponse()
  }
}
