import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { ClientClosedError } from "../Errors.js"
import { OneRoute } from "../OneRoute.js"
import type { OneRouteClient } from "../OneRouteClient.js"

/** The error a rejected promise should carry: our typed failure, the abort reason, or the defect. */
const rejectionOf = (cause: Cause.Cause<unknown>, signal: AbortSignal | undefined): unknown => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return failure.value
  if (Cause.isInterruptedOnly(cause) && signal?.aborted) return signal.reason
  return Cause.squash(cause)
}

export const makeClient = <E>(layer: Layer.Layer<OneRoute, E>): OneRouteClient => {
  const runtime = ManagedRuntime.make(layer)
  let closed = false
  return {
    sendSessionMessage: async (input, options) => {
      const signal = options?.signal
      if (closed) throw new ClientClosedError()
      if (signal?.aborted) throw signal.reason
      const exit = await runtime.runPromiseExit(
        OneRoute.sendSessionMessage(input),
        signal === undefined ? undefined : { signal }
      )
      if (Exit.isSuccess(exit)) return exit.value
      throw rejectionOf(exit.cause, signal)
    },
    close: () => {
      closed = true
      return runtime.dispose()
    }
  }
}
