/**
 * The relay: a web-standard `(Request) => Promise<Response>` handler for your backend that lets
 * browsers send session messages (and the other endpoints its options name) without holding
 * the API key. A request path that is not in normal form (`//`, `.` or `..` segments, an encoded
 * `.`, `/` or `\\`) is refused: a proxy in front and the relay would read it differently. It validates the body with the
 * SDK's schemas, allows only listed `from` numbers, limits the body size, checks the `Origin`,
 * forwards with the key, and answers with OneRoute's envelope plus the original error, so a
 * browser client in relay mode rejects with the same tagged classes.
 *
 * Repeats of one send (same `Idempotency-Key`, which the browser client sets) get the first
 * answer: a browser that silently resends a POST after a connection reset does not make the
 * customer receive the message twice. The keys live in an `IdempotencyStore`; when it is full
 * or unreachable the relay refuses (503, nothing sent) rather than forget a key.
 *
 * The adapters expose it as `relayHandler(options)` with their transport and environment
 * (`makeAdapter` in `@oneroute/core/adapter` builds one for another runtime).
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type { all } from "./Endpoint.js"
import type { IdempotencyStore } from "./IdempotencyStore.js"

/**
 * One forwarded endpoint's limits.
 *
 * @since 0.3.0
 */
export interface RelayRoute {
  /** Largest body accepted for this endpoint, in bytes. */
  readonly maxBodyBytes?: number
  /** Business numbers this endpoint may send from, instead of the relay's `allowedFrom`. */
  readonly allowedFrom?: ReadonlyArray<string>
}

/**
 * The endpoints a relay forwards, by method name.
 *
 * @since 0.3.0
 */
export type RelayEndpoints = {
  readonly [Name in (typeof all)[number]["name"]]?: boolean | RelayRoute
}

/**
 * What the relay allows.
 *
 * @since 0.1.0
 */
export interface RelayHandlerOptions {
  /**
   * Decides whether a request may use the relay, before its body is read: check your session
   * cookie, bearer token or CSRF token here. Required, so that no relay is open by accident;
   * `() => true` opens it to everyone who can reach it (only behind your own authentication).
   * A `false` answer is a 401 from the relay; a throw is the host's 500.
   */
  readonly authorize: (request: Request) => boolean | Promise<boolean>
  /** Business numbers the relay may send from (any written form); others get a `RejectedError` (403). */
  readonly allowedFrom: ReadonlyArray<string>
  /**
   * The URL pages use to reach the relay (`"https://support.example.com/oneroute"`, the mount): its
   * origin may call the relay. Set this or `allowedOrigins` (or `trustProxy`): the relay never
   * trusts the `Host` header to tell its own origin.
   */
  readonly publicUrl?: string | URL
  /** Further origins whose pages may call the relay (`"https://support.example.com"`). */
  readonly allowedOrigins?: ReadonlyArray<string>
  /**
   * Behind a reverse proxy that sets `X-Forwarded-Proto` and `X-Forwarded-Host` (and overwrites
   * any a client sent): the origin they name may call the relay. Default `false`.
   */
  readonly trustProxy?: boolean
  /**
   * Which endpoints the relay forwards, by method name, each `true` or a {@link RelayRoute} with
   * its own limits; the rest answer 404. Default `{ sendSessionMessage: true }`: session messages
   * only. Template messages reach up to 100 customers per request at any time, so a relay that
   * browsers can reach forwards them only when you say so (`{ sendSessionMessage: true,
   * sendTemplateMessage: true }`).
   */
  readonly endpoints?: RelayEndpoints
  /**
   * Largest body accepted, in bytes, for endpoints whose route sets none. Default: the endpoint's
   * own (`Endpoint.maxRelayBodyBytes`: 32 KiB for a session message, in which a 4096-character
   * message fits; 2 MiB for a template message, in which 100 recipients with 10 parameters of
   * 1,024 characters and 4 KiB of metadata each fit).
   */
  readonly maxBodyBytes?: number
  /**
   * Where repeats of an `Idempotency-Key` are remembered. Default: `IdempotencyStore.makeMemory()`
   * in this process; relays that run as several instances need a shared one (`@oneroute/redis`).
   */
  readonly idempotencyStore?: IdempotencyStore
  /**
   * How long a repeat waits for the first send of its key to finish before it is answered with
   * a `RequestTimeoutError` (`unknown`). Default 30 seconds.
   */
  readonly repeatWait?: Duration.DurationInput
}

/**
 * A relay handler; `close()` releases its connections.
 *
 * @since 0.1.0
 */
export interface RelayHandler {
  (request: Request): Promise<Response>
  /** Releases the relay's connections to OneRoute; call it when the server stops. */
  readonly close: () => Promise<void>
}
