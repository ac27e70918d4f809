/**
 * `sendSessionOrTemplate` for the Effect API: the same decision as the Promise client's (one
 * copy, `sessionOrTemplate.ts`), its sends and tracker calls run as Effects in the caller's
 * context, so interrupting the fiber interrupts the send in flight.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import type { SessionOrTemplateRequest, SessionOrTemplateResult, WindowTracker } from "../../ConversationWindows.js"
import { isOneRouteError, type OneRouteError } from "../../Errors.js"
import { OneRoute } from "../../OneRoute.js"
import { unknownWindows } from "../promiseClient.js"
import { ConversationWindows, type ConversationWindowsService } from "./service.js"
import { sendSessionOrTemplate } from "./sessionOrTemplate.js"

export const sendSessionOrTemplateEffect = (
  input: SessionOrTemplateRequest
): Effect.Effect<SessionOrTemplateResult, OneRouteError, OneRoute> =>
  Effect.gen(function* () {
    const service = yield* OneRoute
    const windows = yield* Effect.serviceOption(ConversationWindows)
    const runtime = yield* Effect.runtime<never>()
    return yield* Effect.async<SessionOrTemplateResult, OneRouteError>((resume, signal) => {
      /** An Effect as a promise that rejects with its typed failure, interrupted with the fiber. */
      const run = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
        const exit = await Runtime.runPromiseExit(runtime)(effect, { signal })
        if (Exit.isSuccess(exit)) return exit.value
        throw Option.getOrElse(Cause.failureOption(exit.cause), () => Cause.squash(exit.cause))
      }
      const tracker = (windowsService: ConversationWindowsService) => ({
        status: (pair: Parameters<WindowTracker["status"]>[0]) => run(windowsService.status(pair)),
        recordSend: (event: Parameters<WindowTracker["recordSend"]>[0]) => run(windowsService.recordSend(event)),
        recordClosed: (event: Parameters<WindowTracker["recordClosed"]>[0]) => run(windowsService.recordClosed(event))
      })
      sendSessionOrTemplate(
        {
          sendSession: (session) => run(service.sendSessionMessage(session)),
          sendTemplate: (template) => run(service.sendTemplateMessage(template)),
          windows: Option.match(windows, { onNone: () => unknownWindows, onSome: tracker })
        },
        input
      ).then(
        (result) => resume(Effect.succeed(result)),
        (error: unknown) => resume(isOneRouteError(error) ? Effect.fail(error) : Effect.die(error))
      )
    })
  })
