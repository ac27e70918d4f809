import { Endpoint, type RelayHandler, type WindowTracker } from "@oneroute/node"
import { normalisedPair } from "../environment.js"
import type { Inbox } from "./inbox.js"

const SESSION_PATH = `/${Endpoint.registry.sendSessionMessage.path}`
const TEMPLATE_PATH = `/${Endpoint.registry.sendTemplateMessage.path}`

type Json = Record<string, unknown>

const objectOf = (value: unknown): Json | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined

const textOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

const jsonOf = async (body: { text: () => Promise<string> }): Promise<Json | undefined> => {
  try {
    return objectOf(JSON.parse(await body.text()))
  } catch {
    return undefined
  }
}

interface SendLogContext {
  readonly business: string
  readonly windows: Pick<WindowTracker, "recordSend" | "recordClosed">
  readonly inbox: Inbox
  readonly now: () => number
}

/** OneRoute refused a session message for a closed window, and nothing was sent. */
const isWindowClosed = (answer: Json) => {
  const error = objectOf(answer.error)
  return error?._tag === "RejectedError" && error.reason === "window-closed" && error.sendOutcome === "not-sent"
}

/** What a send the relay made (`sent`, its body; `answer`, the relay's) tells the tracker and the inbox. */
const learn = async (kind: "session" | "template", sent: Json, answer: Json, context: SendLogContext) => {
  const { business, windows, inbox, now } = context
  if (kind === "session") {
    const numbers = normalisedPair(textOf(sent.to) ?? "", textOf(sent.from) ?? "")
    if (numbers === undefined || numbers.business !== business) return
    if (isWindowClosed(answer)) {
      await windows.recordClosed({ from: business, to: numbers.customer })
      return inbox.refreshCustomer(numbers.customer)
    }
    const message = objectOf(answer.data)
    const conversationId = textOf(message?.conversation_id)
    const id = textOf(message?.id)
    if (answer.success !== true || conversationId === undefined || id === undefined) return
    await windows.recordSend({ from: business, to: numbers.customer, conversationId })
    return inbox.addMessage(
      { conversationId, customer: numbers.customer },
      { id, direction: "outbound", text: textOf(sent.message) ?? "", template: false, at: now() }
    )
  }
  // A template: one answer entry per recipient, in order; each one sent goes into its conversation.
  const recipients = Array.isArray(sent.messages) ? sent.messages.map(objectOf) : []
  const outcomes = Array.isArray(answer.data) ? answer.data.map(objectOf) : []
  if (answer.success !== true || outcomes.length !== recipients.length) return
  for (const [index, recipient] of recipients.entries()) {
    const outcome = outcomes[index]
    const template = objectOf(recipient?.template)
    const numbers = normalisedPair(textOf(recipient?.to) ?? "", textOf(sent.from) ?? "")
    const id = textOf(outcome?.response)
    if (outcome?.status !== "success" || numbers === undefined || id === undefined) continue
    const parameters = (Array.isArray(template?.parameters) ? template.parameters : []).map(
      (parameter) => textOf(objectOf(parameter)?.text) ?? ""
    )
    await inbox.addMessage(
      { customer: numbers.customer },
      {
        id,
        direction: "outbound",
        text: `${textOf(template?.name) ?? "template"}${parameters.length > 0 ? `: ${parameters.join(", ")}` : ""}`,
        template: true,
        at: now()
      }
    )
  }
}

/**
 * The relay, watched: what it sent (or what OneRoute refused as `window-closed`) feeds the window
 * tracker and the inbox, as a team's backend would record its own sends. The relay reads the body
 * within its own limit; the copy here is read only when the relay answered after reading all of it.
 */
export const withSendLog = (relay: RelayHandler, context: SendLogContext & { readonly mount: string }) => {
  const kindOf = (request: Request) => {
    if (request.method !== "POST") return undefined
    const path = new URL(request.url).pathname.slice(context.mount.length)
    return path === SESSION_PATH ? "session" : path === TEMPLATE_PATH ? "template" : undefined
  }
  return async (request: Request): Promise<Response> => {
    const kind = kindOf(request)
    if (kind === undefined) return relay(request)
    const copy = request.clone()
    const response = await relay(request)
    const record = async () => {
      const answer = await jsonOf(response.clone())
      // Only an answer from OneRoute (sent, or refused for a closed window) proves the relay read the
      // whole body, within its limit; otherwise the copy is dropped unread.
      if (answer === undefined || !(answer.success === true || isWindowClosed(answer))) {
        return void copy.body?.cancel().catch(() => {})
      }
      const sent = await jsonOf(copy)
      if (sent !== undefined) await learn(kind, sent, answer, context)
    }
    record().catch((error: unknown) => console.error("oneroute-demo: could not record a send in the inbox", error))
    return response
  }
}
