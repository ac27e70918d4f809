/**
 * The transport suite: what the send engine relies on from a `Transport` (one POST sent as
 * given, the status and two headers, a body read whole or cut at the cap, aborts, refused vs
 * reset connections, no redirect followed, no request sent twice), checked for every runtime's
 * transport as one suite, each case a real request over loopback to the transport probe. It is
 * runner-agnostic like the conformance suite: register each case with your runner (`it` in
 * vitest, `Deno.test` in Deno) and call `run` with your target.
 *
 * @since 0.4.0
 */
import type { OwnedTransport } from "@oneroute/core/adapter"
import { cases } from "./internal/transport/cases.js"
import type { TransportProbe } from "./internal/transport/probeServer.js"

export type { TransportProbe } from "./internal/transport/probeServer.js"

/**
 * The transport under test and where its cases send.
 *
 * @since 0.4.0
 */
export interface TransportTarget {
  /** Makes the transport under test; each case makes its own and closes it at the end. */
  readonly transport: () => OwnedTransport
  /** A running transport probe's URL (`startTransportProbe().url`, or handed to a browser by its test setup). */
  readonly probeUrl: string
  /** A loopback URL where nothing listens, for the refused-connection case. */
  readonly refusedUrl: string
  /** Whether the runtime's errors tell a refused connection (not sent) from a reset (unknown). */
  readonly detectsRefusedConnection: boolean
}

/**
 * One case of the suite.
 *
 * @since 0.4.0
 */
export interface TransportCase {
  /** What the case checks; stable and unique in the suite (a runner's list of expected failures names it). */
  readonly name: string
  /** Runs the case against `target`; rejects with what went wrong. */
  readonly run: (target: TransportTarget) => Promise<void>
}

/**
 * Every case of the suite, in a stable order.
 *
 * @since 0.4.0
 */
export const transportCases: ReadonlyArray<TransportCase> = cases

/**
 * Starts the transport probe on 127.0.0.1 (a free port): a raw HTTP/1.1 server whose answer each
 * case picks in its request's URL, and which logs what it received. Node and Deno only (it runs
 * on `node:net`); a browser test gets its URL from a setup that runs in Node. Loaded on first
 * call, so importing this module stays browser-safe.
 *
 * @since 0.4.0
 */
export const startTransportProbe = async (): Promise<TransportProbe> =>
  (await import("./internal/transport/probeServer.js")).startTransportProbe()
