/**
 * `sendSessionOrTemplate`'s decision, over any client's two sends: a template when the window is
 * known closed, otherwise a session message, and the template only when OneRoute refused that
 * message as `window-closed` with proof that it was not sent. Each send runs at most once, so
 * the customer never gets both, nor either twice; a send that may have gone out is the caller's
 * error to see, never a reason to send the other.
 */
import type { SessionOrTemplateRequest, SessionOrTemplateResult, WindowTracker } from "../../ConversationWindows.js"
import { type RejectedError, UnexpectedResponseError } from "../../Errors.js"
import type { SessionMessage, SessionMessageRequest } from "../../Schemas.js"
import type { TemplateMessageRequest } from "../../TemplateMessage.js"
import type { TemplateMessageResult } from "../../TemplateResult.js"

/** What the decision runs on: a client's two sends and the tracker it asks and feeds. */
export interface SessionOrTemplateDependencies {
  readonly sendSession: (input: SessionMessageRequest.Encoded) => Promise<SessionMessage>
  readonly sendTemplate: (input: TemplateMessageRequest.Encoded) => Promise<TemplateMessageResult>
  readonly windows: Pick<WindowTracker, "status" | "recordSend" | "recordClosed">
}

/** By tag, not class: the error may come from another copy of the SDK (a relay client, a second install). */
const isWindowClosed = (error: unknown): boolean => {
  const rejected = error as Partial<RejectedError> | null
  return (
    typeof rejected === "object" &&
    rejected !== null &&
    rejected._tag === "RejectedError" &&
    rejected.reason === "window-closed" &&
    rejected.sendOutcome === "not-sent"
  )
}

/** The tracker is advice: its failures never fail (nor repeat) a send that has happened. */
const quietly = (record: Promise<void>): Promise<void> => record.catch(() => undefined)

export const sendSessionOrTemplate = async (
  { sendSession, sendTemplate, windows }: SessionOrTemplateDependencies,
  { from, to, message, template }: SessionOrTemplateRequest
): Promise<SessionOrTemplateResult> => {
  const viaTemplate = async (): Promise<SessionOrTemplateResult> => {
    const result = await sendTemplate({ from, messages: [{ to, template }] })
    // sendTemplate answers one outcome per recipient or fails; a foreign one is checked anyway.
    const outcome = result.outcomes[0]
    if (outcome === undefined || result.outcomes.length !== 1) {
      const bodyExcerpt = `${result.outcomes.length} outcomes for one recipient`
      throw new UnexpectedResponseError({ status: 200, bodyExcerpt, sendOutcome: "unknown" })
    }
    return { via: "template", outcome }
  }
  // An unusable number fails the send itself, with the send's own InvalidInputError.
  const known = await windows.status({ from, to }).catch(() => ({ state: "unknown" as const }))
  if (known.state === "closed") return viaTemplate()
  let sent: SessionMessage
  try {
    sent = await sendSession({ from, to, message })
  } catch (error) {
    if (!isWindowClosed(error)) throw error
    await quietly(windows.recordClosed({ from, to }))
    return viaTemplate()
  }
  await quietly(windows.recordSend({ from, to, conversationId: sent.conversationId }))
  return { via: "session", message: sent }
}
