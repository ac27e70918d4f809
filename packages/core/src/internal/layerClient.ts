import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Predicate from "effect/Predicate"
import type { OneRouteError } from "../Errors.js"
import { OneRoute, type OneRouteService } from "../OneRoute.js"
import type { OneRouteClient, WindowsOption } from "../OneRouteClient.js"
import { makePromiseClient } from "./promiseClient.js"
import { currentSendHeaders, currentSendTimeout } from "./service.js"

/** Where Effect keeps the original of an error it annotated with a span (it wraps it in a Proxy). */
const ORIGINAL = Symbol.for("effect/OriginalAnnotation")

/** A defect as it was thrown: the caller's own error (from a `headers` function) comes back as is. */
const original = (defect: unknown): unknown => (Predicate.hasProperty(defect, ORIGINAL) ? defect[ORIGINAL] : defect)

/** The error a rejected promise should carry: our typed failure, the abort reason, or the defect. */
const rejectionOf = (cause: Cause.Cause<unknown>, signal: AbortSignal | undefined): unknown => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") return failure.value
  if (Cause.isInterruptedOnly(cause) && signal?.aborted) return signal.reason
  return original(Cause.squash(cause))
}

type Operation = (input: unknown) => Effect.Effect<unknown, OneRouteError>

/** A Promise client over any layer that provides `OneRoute` (one `ManagedRuntime`). */
export const makeClient = <E>(layer: Layer.Layer<OneRoute, E>, options: WindowsOption = {}): OneRouteClient => {
  const runtime = ManagedRuntime.make(layer)
  return makePromiseClient(
    async (endpoint, input, { signal, headers, timeout }) => {
      let send = Effect.flatMap(OneRoute, (service: OneRouteService) =>
        (service[endpoint.name as keyof OneRouteService] as Operation)(input)
      )
      if (headers !== undefined) send = Effect.locally(send, currentSendHeaders, headers)
      if (timeout !== undefined) send = Effect.locally(send, currentSendTimeout, timeout)
      const exit = await runtime.runPromiseExit(send, signal === undefined ? undefined : { signal })
      if (Exit.isSuccess(exit)) return exit.value
      throw rejectionOf(exit.cause, signal)
    },
    () => runtime.dispose(),
    options.windows
  )
}
