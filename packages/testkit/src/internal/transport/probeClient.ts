/** The suite's side of the probe: its cases' URLs, its logs, and a send that records what happened. */
import type { Body, OwnedTransport, Transport, TransportAnswer, TransportRequest } from "@oneroute/core/adapter"
import { caseUrl, logUrl, type ProbeAnswer, type ProbeLog, type ProbeRequest } from "./answers.js"

/** The headers a JSON send carries when a case does not care which. */
export const JSON_HEADERS: Readonly<Record<string, string>> = { "content-type": "application/json" }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** One case's view of the probe at `probeUrl`: its own id, so its log holds only its requests. */
export const probeCase = (probeUrl: string) => {
  const id = crypto.randomUUID()
  const log = async (): Promise<ProbeLog> => {
    const response = await fetch(logUrl(probeUrl, id))
    return (await response.json()) as ProbeLog
  }
  return {
    url: (answer: ProbeAnswer) => caseUrl(probeUrl, id, answer),
    log,
    /** Polls the log until `ready` holds (the runner's test timeout bounds the wait). */
    logWhen: async (ready: (log: ProbeLog) => boolean): Promise<ProbeLog> => {
      for (;;) {
        const current = await log()
        if (ready(current)) return current
        await sleep(20)
      }
    }
  }
}

/** Runs `body` with a fresh transport from `make`, closed afterwards. */
export const withTransport = async <A>(
  make: () => OwnedTransport,
  body: (send: Transport) => Promise<A>
): Promise<A> => {
  const owned = make()
  try {
    return await body(owned.send)
  } finally {
    await owned.close()
  }
}

/** A POST of `body` (default `{}`) to `url` with `headers` (default JSON's), on `signal`. */
export const post = (
  send: Transport,
  url: string,
  options: Partial<Omit<TransportRequest, "url">> = {}
): Promise<TransportAnswer> =>
  send({
    url,
    headers: options.headers ?? JSON_HEADERS,
    body: options.body ?? "{}",
    signal: options.signal ?? new AbortController().signal
  })

/** How a promise settled, without waiting for it. */
export const watch = <A>(promise: Promise<A>) => {
  const state: { settled: boolean } = { settled: false }
  const settled = promise.then(
    (value) => {
      state.settled = true
      return { ok: true as const, value }
    },
    (error: unknown) => {
      state.settled = true
      return { ok: false as const, error }
    }
  )
  return { isSettled: () => state.settled, settled }
}

/** A request's header values by case-insensitive name. */
export const headerValues = (request: ProbeRequest | undefined, name: string): ReadonlyArray<string> =>
  (request?.headers ?? []).filter(([key]) => key.toLowerCase() === name).map(([, value]) => value)

/** The bytes of a logged body (base64 in the log). */
export const bodyBytes = (request: ProbeRequest | undefined): Uint8Array =>
  Uint8Array.from(atob(request?.body ?? ""), (char) => char.charCodeAt(0))

/** UTF-8 length of a body's text. */
export const byteLength = (body: Body): number => new TextEncoder().encode(body.text).byteLength
