/**
 * A Promise API over the `OneRoute` service, for code that does not use Effect. The runtime
 * adapters' `createClient` return one.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as internal from "./internal/promiseClient.js"
import {
  type OneRoute,
  type OneRouteOptions,
  type RelayOptions,
  type RequestHeaders,
  validateOptions
} from "./OneRoute.js"
import type { SessionMessage, SessionMessageRequest } from "./Schemas.js"

/**
 * Per-call options.
 *
 * @since 0.1.0
 */
export interface SendOptions {
  /** Aborting interrupts the send; the promise rejects with `signal.reason`, as `fetch` does. */
  readonly signal?: AbortSignal
  /**
   * Headers for this send only (a record, or a function called before each of its requests, see
   * {@link RequestHeaders}), set after the client's `headers`, so they win over those. They
   * cannot replace `content-type`, `idempotency-key` or `apikey`. Default: none.
   */
  readonly headers?: RequestHeaders
}

/**
 * The Promise client.
 *
 * @since 0.1.0
 */
export interface OneRouteClient {
  /**
   * Sends a session message. Rejects with the same error instances as the Effect API
   * (`InvalidInputError`, `RejectedError`, … — see `isOneRouteError`), never a wrapper.
   */
  readonly sendSessionMessage: (input: SessionMessageRequest.Encoded, options?: SendOptions) => Promise<SessionMessage>
  /** Closes connections and releases resources. Sends after `close()` reject. */
  readonly close: () => Promise<void>
}

/**
 * Makes a Promise client from a layer that provides `OneRoute`. The layer is built on the
 * first send and torn down by `close()`.
 *
 * @since 0.1.0
 */
export const makeClient: <E>(layer: Layer.Layer<OneRoute, E>) => OneRouteClient = internal.makeClient

/**
 * Checks `options` at once, throwing `InvalidOptionsError` when they are unusable, and returns
 * the adapter's `layer` for them: what `createClient` and `relayHandler` build on.
 *
 * @since 0.1.0
 */
export const checkedLayer = <Options extends OneRouteOptions | RelayOptions, E>(
  options: Options,
  layer: (options: Options) => Layer.Layer<OneRoute, E>
): Layer.Layer<OneRoute, E> => layer(Either.getOrThrowWith(validateOptions(options), (error) => error))

/**
 * What every adapter's `createClient` does: a Promise client on `checkedLayer(options, layer)`.
 *
 * @since 0.1.0
 */
export const makeClientWith = <Options extends OneRouteOptions | RelayOptions, E>(
  options: Options,
  layer: (options: Options) => Layer.Layer<OneRoute, E>
): OneRouteClient => makeClient(checkedLayer(options, layer))
