/** What the inbox says to a support agent: plain words, no class names. */
import type { TemplateOutcome } from "@oneroute/browser"
import { isOneRouteError } from "@oneroute/browser"
import type { WindowWire } from "../src/console/wire.js"

const MINUTE = 60_000

/** "23 h 12 min", "12 min", or "less than a minute". */
export const timeLeft = (ms: number): string => {
  const minutes = Math.floor(ms / MINUTE)
  if (minutes < 1) return "less than a minute"
  const hours = Math.floor(minutes / 60)
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`
}

/** The window as the conversation's header says it, at `now` (the server's clock). */
export const windowText = (window: WindowWire, now: number): string => {
  switch (window.state) {
    case "open":
      return `Window open — ${timeLeft(window.expiresAt - now)} left`
    case "closed":
      return "Window closed — customer must write first / send a template"
    case "unknown":
      return "Window not known — no message from this customer seen yet; a reply may be refused"
  }
}

/** The window in a few words, for the conversation list. */
export const windowBadge = (window: WindowWire, now: number): string => {
  switch (window.state) {
    case "open":
      return `Open · ${timeLeft(window.expiresAt - now)} left`
    case "closed":
      return "Closed · template only"
    case "unknown":
      return "Window not known"
  }
}

export const MAY_NOT_BE_DELIVERED = "Message may not have been delivered — check before resending"

/** What a failed send means for the agent: whether it went out, and what to do. */
export const failureText = (error: unknown): string => {
  if (!isOneRouteError(error)) return `Not sent: ${error instanceof Error ? error.message : String(error)}`
  if (error.sendOutcome === "unknown") return MAY_NOT_BE_DELIVERED
  switch (error._tag) {
    case "RejectedError":
      if (error.reason === "window-closed") {
        return "Not sent: the customer's 24-hour window is closed. Send a template instead."
      }
      return `Not sent: OneRoute refused it (${error.message})`
    case "InvalidInputError":
      return `Not sent: ${error.issues.map((issue) => issue.message).join("; ")}`
    case "RateLimitedError":
      return "Not sent: too many messages right now. Wait a moment, then send again."
    case "NetworkError":
      return "Not sent: the console could not reach OneRoute. Check the connection, then send again."
    default:
      return `Not sent: ${error.message}`
  }
}

/** A template's outcome for the customer. */
export const templateOutcomeText = (outcome: TemplateOutcome): string => {
  switch (outcome.status) {
    case "sent":
      return "Template sent ✓"
    case "failed":
      return `Template not sent: ${outcome.detail}`
    default:
      return MAY_NOT_BE_DELIVERED
  }
}
