/**
 * A Promise API over the `OneRoute` service, for code that does not use Effect. The runtime
 * adapters' `createClient` return one.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { OneRoute, type OneRouteOptions, type RelayOptions, validateOptions } from "./OneRoute.js"
import type { SessionMessage, SessionMessageRequest } from "./Schemas.js"

/**
 * Per-call options.
 *
 * @since 0.1.0
 */
export interface SendOptions {
  /** Aborting interrupts the send; the promise rejects with `signal.reason`, as `fetch` does. */
  readonly signal?: AbortSignal
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

/** The error a rejected promise should carry: our typed failure, the abort reason, or the defect. */
const rejectionOf = (cause: Cause.Cause<unknown>, signal: AbortSignal | undefined): unknown => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return failure.value
  if (Cause.isInterruptedOnly(cause) && signal?.aborted) return signal.reason
  return Cause.squash(cause)
}

/**
 * Makes a Promise client from a layer that provides `OneRoute`. The layer is built on the
 * first send and torn down by `close()`.
 *
 * @since 0.1.0
 */
export const makeClient = <E>(layer: Layer.Layer<OneRoute, E>): OneRouteClient => {
  const runtime = ManagedRuntime.make(layer)
  return {
    sendSessionMessage: async (input, options) => {
      const signal = options?.signal
      if (signal?.aborted) throw signal.reason
      const exit = await runtime.runPromiseExit(
        OneRoute.sendSessionMessage(input),
        signal === undefined ? undefined : { signal }
      )
      if (Exit.isSuccess(exit)) return exit.value
      throw rejectionOf(exit.cause, signal)
    },
    close: () => runtime.dispose()
  }
}

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
