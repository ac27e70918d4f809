/**
 * Just enough of HTTP/1.1 request parsing for the transport probe: a request line, headers as
 * they arrived (names and values untouched, in order), and a `Content-Length` body. The probe
 * reads bytes off a raw socket so it sees exactly what a transport put on the wire.
 */
import { Buffer } from "node:buffer"

/** One request as it arrived. */
export interface RawRequest {
  readonly method: string
  readonly target: string
  /** Every header line as sent: `[name, value]`, names in the sender's case, values trimmed of surrounding spaces. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body: Uint8Array
}

/** Why bytes cannot be read as a request (the probe answers 400 and closes). */
export class BadRequest extends Error {}

const HEAD_END = Buffer.from("\r\n\r\n")
const MAX_HEAD_BYTES = 64 * 1024
const MAX_BODY_BYTES = 1024 * 1024

/**
 * Takes the first whole request off `buffer`: the request and the bytes after it, or
 * `undefined` while more bytes are needed. Throws {@link BadRequest} for what it cannot read.
 */
export const takeRequest = (buffer: Buffer): { readonly request: RawRequest; readonly rest: Buffer } | undefined => {
  const headEnd = buffer.indexOf(HEAD_END)
  if (headEnd === -1) {
    if (buffer.byteLength > MAX_HEAD_BYTES) throw new BadRequest("request head too large")
    return undefined
  }
  const [requestLine = "", ...lines] = buffer.subarray(0, headEnd).toString("latin1").split("\r\n")
  const [method, target, version] = requestLine.split(" ")
  if (method === undefined || target === undefined || version?.startsWith("HTTP/1.") !== true) {
    throw new BadRequest("malformed request line")
  }
  const headers = lines.map((line): readonly [string, string] => {
    const colon = line.indexOf(":")
    if (colon <= 0) throw new BadRequest("malformed header line")
    return [line.slice(0, colon), line.slice(colon + 1).trim()]
  })
  const framing = headers.filter(([name]) => /^(content-length|transfer-encoding)$/i.test(name))
  if (framing.some(([name]) => name.toLowerCase() === "transfer-encoding") || framing.length > 1) {
    throw new BadRequest("only one Content-Length frames a request body here")
  }
  const length = framing.length === 0 ? 0 : Number(framing[0]?.[1])
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_BODY_BYTES) {
    throw new BadRequest("unusable Content-Length")
  }
  const bodyStart = headEnd + HEAD_END.byteLength
  if (buffer.byteLength < bodyStart + length) return undefined
  return {
    request: { method, target, headers, body: Uint8Array.from(buffer.subarray(bodyStart, bodyStart + length)) },
    rest: buffer.subarray(bodyStart + length)
  }
}
