/**
 * The relay: a web-standard `(Request) => Promise<Response>` handler for your backend that lets
 * browsers send session messages without holding the API key. It validates the body with the
 * SDK's schemas, allows only listed `from` numbers, limits the body size, checks the `Origin`,
 * forwards with the key, and answers with OneRoute's envelope plus the original error, so a
 * browser client in relay mode rejects with the same tagged classes.
 *
 * Repeats of one send (same `Idempotency-Key`, which the browser client sets) get the first
 * answer: a browser that silently resends a POST after a connection reset does not make the
 * customer receive the message twice.
 *
 * The adapters expose it as `relayHandler(options)` with their transport and environment.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Layer from "effect/Layer"
import * as internal from "./internal/relay/handler.js"
import type { OneRoute } from "./OneRoute.js"

/**
 * What the relay allows.
 *
 * @since 0.1.0
 */
export interface RelayHandlerOptions {
  /** Business numbers the relay may send from (any written form); others get a `RejectedError` (403). */
  readonly allowedFrom: ReadonlyArray<string>
  /**
   * Origins whose pages may call the relay (`"https://support.example.com"`). Default: only the
   * relay's own origin. Requests without an `Origin` header (not from a browser page) pass, so
   * mount the relay behind your application's own authentication.
   */
  readonly allowedOrigins?: ReadonlyArray<string>
  /** Largest body accepted, in bytes. Default 32 KiB (a 4096-character message fits). */
  readonly maxBodyBytes?: number
  /** How long a repeated `Idempotency-Key` gets the first answer. Default 10 minutes. */
  readonly idempotencyTtl?: Duration.DurationInput
}

/**
 * A relay handler; `close()` releases its connections.
 *
 * @since 0.1.0
 */
export interface RelayHandler {
  (request: Request): Promise<Response>
  readonly close: () => Promise<void>
}

/**
 * Makes a relay over `layer` (the `OneRoute` service holding the API key). Throws
 * `InvalidOptionsError` when `allowedFrom` is empty or holds something that is not a number.
 *
 * @since 0.1.0
 */
export const makeRelayHandler: <E>(options: RelayHandlerOptions, layer: Layer.Layer<OneRoute, E>) => RelayHandler =
  internal.makeRelayHandler
