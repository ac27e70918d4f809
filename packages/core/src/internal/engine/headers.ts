import type { RequestHeaders } from "../../Options.js"

/** Headers the SDK owns: a caller's `headers` never replace them. */
const OWN_HEADERS: ReadonlySet<string> = new Set(["content-type", "idempotency-key", "apikey"])

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * The caller's headers as request headers, without the ones the SDK owns. Something that is not
 * a record of valid header names and string values is the caller's bug: a `TypeError`, raised
 * before anything is sent (a transport would fail it as an ambiguous network error).
 */
const checkHeaders = (input: unknown, into: Record<string, string>): void => {
  if (input === undefined) return
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError("OneRoute headers must be a record of header names to string values")
  }
  for (const [name, value] of Object.entries(input)) {
    if (typeof value !== "string" || !HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) {
      throw new TypeError(`OneRoute headers: ${JSON.stringify(name.slice(0, 40))} is not a valid header`)
    }
    if (!OWN_HEADERS.has(name.toLowerCase())) into[name.toLowerCase()] = value
  }
}

/** Evaluates `headers`, calling it when it is a function (its throw or rejection is the send's). */
const evaluate = async (headers: RequestHeaders | undefined): Promise<unknown> =>
  typeof headers === "function" ? await headers() : headers

/**
 * The request's headers with the client's and then the send's own (which win) added, evaluated
 * now, so a function hands out a fresh token for each attempt. Evaluation counts against the
 * attempt: when `signal` aborts first, this rejects with `failure()`.
 */
export const callerHeaders = (
  own: Readonly<Record<string, string>>,
  client: RequestHeaders | undefined,
  perSend: RequestHeaders | undefined,
  signal: AbortSignal,
  failure: (cause: unknown) => unknown
): Promise<Readonly<Record<string, string>>> =>
  new Promise((resolve, reject) => {
    const onAbort = () => reject(failure(signal.reason))
    signal.addEventListener("abort", onAbort, { once: true })
    Promise.all([evaluate(client), evaluate(perSend)])
      .then(([fromClient, fromSend]) => {
        const merged: Record<string, string> = {}
        checkHeaders(fromClient, merged)
        checkHeaders(fromSend, merged)
        resolve({ ...own, ...merged })
      })
      .catch(reject)
      .finally(() => signal.removeEventListener("abort", onAbort))
  })
