/**
 * The `OneRoute` service over the send engine: each send is one `Effect.async` (interruption
 * aborts the engine's request) inside the span `OneRoute.<endpoint name>`.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import * as Runtime from "effect/Runtime"
import type * as Endpoint from "../Endpoint.js"
import { isOneRouteError, type OneRouteError } from "../Errors.js"
import type { OneRouteService, RequestHeaders } from "../OneRoute.js"
import * as Endpoints from "./endpoints.js"
import type { Engine } from "./engine/engine.js"

/** Per-send headers of a Promise client over a layer (`makeClient(layer)`). */
export const currentSendHeaders: FiberRef.FiberRef<RequestHeaders | undefined> = FiberRef.unsafeMake<
  RequestHeaders | undefined
>(undefined)

/** Per-send timeout of a Promise client over a layer: replaces the client's. */
export const currentSendTimeout: FiberRef.FiberRef<Duration.Duration | undefined> = FiberRef.unsafeMake<
  Duration.Duration | undefined
>(undefined)

const logRetry = (error: OneRouteError, delayMillis: number) =>
  Effect.logDebug("OneRoute send failed, retrying").pipe(Effect.annotateLogs({ error: error._tag, delayMillis }))

/** One endpoint as an Effect: validation, the request, retries, all in the engine. */
const operation =
  <Input, Answer>(
    engine: Engine,
    // biome-ignore lint/suspicious/noExplicitAny: any request type; the endpoint checks it.
    endpoint: Endpoint.Endpoint<string, Input, any, Answer>
  ) =>
  (input: Input): Effect.Effect<Answer, OneRouteError> =>
    Effect.useSpan(
      `OneRoute.${endpoint.name}`,
      { kind: "client", captureStackTrace: false, attributes: { "url.full": engine.urlOf(endpoint) } },
      (span) =>
        Effect.flatMap(Effect.runtime<never>(), (runtime) => {
          const timeout = FiberRefs.getOrDefault(runtime.fiberRefs, currentSendTimeout)
          const call = {
            headers: FiberRefs.getOrDefault(runtime.fiberRefs, currentSendHeaders),
            timeoutMs: timeout === undefined ? undefined : Duration.toMillis(timeout),
            report: (attributes: Readonly<Record<string, unknown>>) => {
              for (const name in attributes) span.attribute(name, attributes[name])
            },
            onRetry: (error: OneRouteError, delayMillis: number) => {
              Runtime.runFork(runtime, logRetry(error, delayMillis))
            }
          }
          return Effect.async<Answer, OneRouteError>((resume, signal) => {
            engine.send(endpoint, input, { ...call, signal }).then(
              (answer) => resume(Effect.succeed(answer)),
              (error: unknown) => resume(isOneRouteError(error) ? Effect.fail(error) : Effect.die(error))
            )
          })
        })
    )

/** The service's operations, one per endpoint. */
export const make = (engine: Engine): OneRouteService => ({
  sendSessionMessage: operation(engine, Endpoints.sessionMessage)
})
