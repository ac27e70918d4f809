/**
 * The `OneRoute` service over the send engine: each send is one `Effect.async` (interruption
 * aborts the engine's request) inside the span `OneRoute.<endpoint name>`.
 */

import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Runtime from "effect/Runtime"
import * as Tracer from "effect/Tracer"
import * as Endpoint from "../Endpoint.js"
import { isOneRouteError, type OneRouteError } from "../Errors.js"
import type { OneRouteService } from "../OneRoute.js"
import type { RequestHeaders } from "../Options.js"
import type { Cancellation, Engine } from "./engine/engine.js"

/** Per-send headers of a Promise client over a layer (`makeClient(layer)`). */
export const currentSendHeaders: FiberRef.FiberRef<RequestHeaders | undefined> = FiberRef.unsafeMake<
  RequestHeaders | undefined
>(undefined)

/** Per-send timeout of a Promise client over a layer: replaces the client's. */
export const currentSendTimeout: FiberRef.FiberRef<Duration.Duration | undefined> = FiberRef.unsafeMake<
  Duration.Duration | undefined
>(undefined)

/**
 * A fiber's interruption as the engine's `Cancellation`: what `Effect.async`'s own signal would
 * be, without an `AbortController` per send (creating one was 3 % of a send's CPU at c=64).
 */
class Interruption implements Cancellation {
  aborted = false
  private listeners: Array<() => void> = []
  addEventListener(_type: "abort", listener: () => void): void {
    this.listeners.push(listener)
  }
  removeEventListener(_type: "abort", listener: () => void): void {
    this.listeners = this.listeners.filter((other) => other !== listener)
  }
  abort(): void {
    if (this.aborted) return
    this.aborted = true
    for (const listener of this.listeners) listener()
  }
}

const logRetry = (error: OneRouteError, delayMillis: number) =>
  Effect.logDebug("OneRoute send failed, retrying").pipe(Effect.annotateLogs({ error: error._tag, delayMillis }))

/** Effect's built-in tracer, whose spans go nowhere: a send skips its span then (near-zero cost). */
let builtInTracer: Tracer.Tracer | undefined
const exportsSpans = (tracer: Tracer.Tracer): boolean => tracer !== (builtInTracer ??= Effect.runSync(Effect.tracer))

/**
 * One endpoint as an Effect: validation, the request and retries all run in the engine, inside
 * one `Effect.async` (interruption aborts its signal), inside the span `OneRoute.<name>` when a
 * tracer that exports spans is installed.
 */
const operation =
  <Input, Answer>(
    engine: Engine,
    // biome-ignore lint/suspicious/noExplicitAny: any request type; the endpoint checks it.
    endpoint: Endpoint.Endpoint<string, Input, any, Answer>
  ) =>
  (input: Input): Effect.Effect<Answer, OneRouteError> =>
    Effect.withFiberRuntime<Answer, OneRouteError>((fiber) => {
      const timeout = fiber.getFiberRef(currentSendTimeout)
      const send = (span: Tracer.Span | undefined) =>
        Effect.async<Answer, OneRouteError>((resume) => {
          const interruption = new Interruption()
          engine
            .send(endpoint, input, {
              signal: interruption,
              headers: fiber.getFiberRef(currentSendHeaders),
              timeoutMs: timeout === undefined ? undefined : Duration.toMillis(timeout),
              report:
                span === undefined
                  ? undefined
                  : (attributes) => {
                      for (const name in attributes) span.attribute(name, attributes[name])
                    },
              onRetry: (error, delayMillis) => {
                const runtime = Runtime.make({
                  context: fiber.currentContext,
                  runtimeFlags: Runtime.defaultRuntimeFlags,
                  fiberRefs: fiber.getFiberRefs()
                })
                Runtime.runFork(runtime, logRetry(error, delayMillis))
              }
            })
            .then(
              (answer) => resume(Effect.succeed(answer)),
              (error: unknown) => resume(isOneRouteError(error) ? Effect.fail(error) : Effect.die(error))
            )
          return Effect.sync(() => interruption.abort())
        })
      if (!exportsSpans(Context.get(fiber.currentDefaultServices, Tracer.Tracer))) return send(undefined)
      return Effect.useSpan(
        `OneRoute.${endpoint.name}`,
        { kind: "client", captureStackTrace: false, attributes: { "url.full": engine.urlOf(endpoint) } },
        send
      )
    })

/** The service's operations, one per endpoint of the registry. */
export const make = (engine: Engine): OneRouteService =>
  Object.fromEntries(
    Endpoint.all.map((endpoint) => [endpoint.name, operation(engine, endpoint as Endpoint.Any)])
  ) as unknown as OneRouteService
