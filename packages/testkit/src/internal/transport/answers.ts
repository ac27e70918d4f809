/**
 * What the transport probe answers, chosen by the request's URL (`/case/<id>?answer=<JSON>`), so
 * a transport under test needs no control channel: every case names its answer in the URL it
 * sends to. Shared by the suite (which builds URLs) and the probe (which reads them); no runtime
 * imports, so the browser can load it.
 */

/** How an answer's body is delimited: `Content-Length`, chunks, or the end of the connection. */
export type Framing = "length" | "chunked" | "eof"

/** The body arrives with `status` and `headers`; `pieces` > 1 sends it in that many writes, 10 ms apart. */
export interface PlainAnswer {
  readonly kind: "plain"
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  readonly framing?: Framing
  readonly pieces?: number
}

/** A body of `bytes` bytes, written as fast as the client reads: a client that stops reading stops it. */
export interface HugeAnswer {
  readonly kind: "huge"
  readonly bytes: number
  readonly framing: "length" | "chunked"
}

/** `inflatedBytes` of `x`, gzip-compressed, with the compressed `Content-Length`. */
export interface GzipAnswer {
  readonly kind: "gzip"
  readonly inflatedBytes: number
}

/**
 * Where an answer goes wrong: `before-head` after the request was read (no byte of an answer),
 * `mid-body` after the head and half of a 2 KiB body.
 */
export type Stage = "before-head" | "mid-body"

/** Never finishes: the connection stays open until the client closes it. */
export interface HangAnswer {
  readonly kind: "hang"
  readonly stage: Stage
  readonly framing: "length" | "chunked"
}

/** The connection is reset (TCP RST where the runtime can send one). */
export interface ResetAnswer {
  readonly kind: "reset"
  readonly stage: Stage
  readonly framing: "length" | "chunked"
}

/** The head promises more body than comes: the connection ends (FIN) after half of it. */
export interface ShortAnswer {
  readonly kind: "short"
  readonly framing: "length" | "chunked"
}

/** `status` with a `Location` to this case's own URL answering 200, so a followed redirect is counted. */
export interface RedirectAnswer {
  readonly kind: "redirect"
  readonly status: number
}

/** One of the probe's answers. */
export type ProbeAnswer =
  | PlainAnswer
  | HugeAnswer
  | GzipAnswer
  | HangAnswer
  | ResetAnswer
  | ShortAnswer
  | RedirectAnswer

/** The body half of which a `mid-body` answer sends. */
export const PARTIAL_BODY = `{"data":"${"p".repeat(2035)}"}`

/** A case's URL on the probe at `base`: the probe answers it with `answer`. */
export const caseUrl = (base: string, caseId: string, answer: ProbeAnswer): string =>
  `${base}/case/${encodeURIComponent(caseId)}?answer=${encodeURIComponent(JSON.stringify(answer))}`

/** Where the probe reports what it saw of a case (`GET`). */
export const logUrl = (base: string, caseId: string): string => `${base}/log/${encodeURIComponent(caseId)}`

/** One request as the probe received it. */
export interface ProbeRequest {
  readonly method: string
  /** The request target as sent (path and query). */
  readonly target: string
  /** Every header line as sent, in order: `[name, value]`. */
  readonly headers: ReadonlyArray<readonly [string, string]>
  /** The body's bytes, base64. */
  readonly body: string
}

/** What the probe saw of one case. */
export interface ProbeLog {
  /** The case's requests (CORS preflights left out), in arrival order. */
  readonly requests: ReadonlyArray<ProbeRequest>
  /** Answers whose connection the client closed before the probe finished them. */
  readonly cutShort: number
  /** Body bytes the probe wrote for the case's answers. */
  readonly bodyBytesSent: number
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const HEADER_VALUE = /^[\t\x20-\x7e]*$/
const MiB = 1024 * 1024

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
const isWhole = (value: unknown, min: number, max: number): boolean =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max
const isOneOf = (value: unknown, allowed: ReadonlyArray<string>): boolean =>
  typeof value === "string" && allowed.includes(value)
const STAGES: ReadonlyArray<Stage> = ["before-head", "mid-body"]
const STREAMED = ["length", "chunked"]

/** Whether `value` is an answer the probe can write as asked: header-safe lines, bounded sizes. */
export const isAnswer = (value: unknown): value is ProbeAnswer => {
  if (!isRecord(value)) return false
  switch (value.kind) {
    case "plain": {
      const headers = value.headers ?? {}
      return (
        isWhole(value.status, 100, 599) &&
        isRecord(headers) &&
        Object.entries(headers).every(
          ([name, header]) => HEADER_NAME.test(name) && typeof header === "string" && HEADER_VALUE.test(header)
        ) &&
        (value.body === undefined || (typeof value.body === "string" && value.body.length <= MiB)) &&
        (value.framing === undefined || isOneOf(value.framing, ["length", "chunked", "eof"])) &&
        (value.pieces === undefined || isWhole(value.pieces, 1, 64))
      )
    }
    case "huge":
      return isWhole(value.bytes, 0, 256 * MiB) && isOneOf(value.framing, STREAMED)
    case "gzip":
      return isWhole(value.inflatedBytes, 0, 64 * MiB)
    case "hang":
    case "reset":
      return isOneOf(value.stage, STAGES) && isOneOf(value.framing, STREAMED)
    case "short":
      return isOneOf(value.framing, STREAMED)
    case "redirect":
      return isWhole(value.status, 300, 399)
    default:
      return false
  }
}
