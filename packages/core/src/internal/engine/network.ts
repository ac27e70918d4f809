import * as Predicate from "effect/Predicate"
import { NetworkError, type SendOutcome } from "../../Errors.js"

/**
 * Failures that prove no byte of the request left this process: the TCP connection never
 * opened. Node/undici report them as `code`; Deno's `fetch` only in the message of its cause
 * (`client error (Connect): tcp connect error: …`: the connect phase, before any request byte).
 * Anything else (reset, socket closed, a browser's opaque `TypeError`) may have sent the request.
 */
const NOT_CONNECTED_CODES: ReadonlySet<unknown> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT"
])
const NOT_CONNECTED_NAMES: ReadonlySet<unknown> = new Set(["ConnectionRefused", "AddrNotAvailable"])
const NOT_CONNECTED_MESSAGE = /\bclient error \(Connect\)/

/** Walks `error.cause` links; transports wrap the socket error a few levels deep. */
const causeChain = (error: unknown): ReadonlyArray<unknown> => {
  const chain: Array<unknown> = []
  for (let current = error; current !== undefined && chain.length < 6; ) {
    chain.push(current)
    current = Predicate.hasProperty(current, "cause") ? current.cause : undefined
  }
  return chain
}

const describe = (error: unknown): string => {
  if (Predicate.hasProperty(error, "code") && typeof error.code === "string") return error.code
  if (error instanceof Error) return error.message || error.name
  return String(error)
}

/**
 * A runtime's refusal to open any connection: Deno without `--allow-net` for the host throws
 * `Deno.errors.NotCapable` (Deno 2; `PermissionDenied` before) from `fetch`, before anything is sent.
 */
const PERMISSION_NAMES: ReadonlySet<unknown> = new Set(["NotCapable", "PermissionDenied"])

/**
 * What a transport knows about its own failure that the runtime's error does not say (a proxy
 * that captured the request, say): a `transportHint` string on the error or any of its causes,
 * added to the `NetworkError`'s reason.
 */
const hintOf = (chain: ReadonlyArray<unknown>): string | undefined => {
  const link = chain.find(
    (link) => Predicate.hasProperty(link, "transportHint") && typeof link.transportHint === "string"
  )
  return link === undefined ? undefined : String((link as { transportHint: string }).transportHint)
}

/** Turns a transport's failure (the runtime's own error) into a `NetworkError` with a truthful outcome. */
export const toNetworkError = (error: unknown): NetworkError => {
  const chain = causeChain(error)
  const denied = chain.find((link) => link instanceof Error && PERMISSION_NAMES.has(link.name))
  if (denied instanceof Error) {
    // Deno's message names the host and the flag: `Requires net access to "host:port", run again with the --allow-net flag`.
    return new NetworkError({
      reason: `the runtime's network permission is missing (${denied.name}: ${denied.message.slice(0, 300)})`,
      sendOutcome: "not-sent"
    })
  }
  const neverConnected = chain.some(
    (link) =>
      (Predicate.hasProperty(link, "code") && NOT_CONNECTED_CODES.has(link.code)) ||
      (Predicate.hasProperty(link, "name") && NOT_CONNECTED_NAMES.has(link.name)) ||
      (link instanceof Error && NOT_CONNECTED_MESSAGE.test(link.message))
  )
  const sendOutcome: SendOutcome = neverConnected ? "not-sent" : "unknown"
  const root = chain.find((link) => Predicate.hasProperty(link, "code")) ?? chain.at(-1) ?? error
  const hint = hintOf(chain)
  return new NetworkError({ reason: hint === undefined ? describe(root) : `${describe(root)}: ${hint}`, sendOutcome })
}
