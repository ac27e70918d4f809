/** The console page's script, bundled for the browser: @oneroute/browser in relay mode. */
import { createClient, isOneRouteError } from "@oneroute/browser"

const client = createClient({ relayUrl: "/oneroute" })
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const form = byId<HTMLFormElement>("send")
const templateForm = byId<HTMLFormElement>("send-template")
const result = byId<HTMLPreElement>("result")
const field = (name: string, of: HTMLFormElement = form) => (of.elements.namedItem(name) as HTMLInputElement).value

const show = (outcome: "ok" | "failed", text: string) => {
  result.className = outcome
  result.textContent = text
}

byId<HTMLButtonElement>("inbound").addEventListener("click", async () => {
  const response = await fetch("/demo/inbound", { method: "POST", body: JSON.stringify({ customer: field("to") }) })
  show(
    response.ok ? "ok" : "failed",
    response.ok ? `${field("to")} wrote to you: the 24-hour window is open.` : await response.text()
  )
})

const showError = (error: unknown) => {
  if (!isOneRouteError(error)) throw error
  const issues =
    error._tag === "InvalidInputError" ? error.issues.map((i) => `\n  ${i.path.join(".")}: ${i.message}`).join("") : ""
  show("failed", `${error._tag} (sendOutcome: ${error.sendOutcome})\n${error.message}${issues}`)
}

form.addEventListener("submit", async (event) => {
  event.preventDefault()
  show("ok", "Sending…")
  try {
    const message = await client.sendSessionMessage({ from: field("from"), to: field("to"), message: field("message") })
    show(
      "ok",
      `Sent ✓\nid: ${message.id}\nconversationId: ${message.conversationId}\ncreatedAt: ${message.createdAt.toISOString()}`
    )
  } catch (error) {
    showError(error)
  }
})

templateForm.addEventListener("submit", async (event) => {
  event.preventDefault()
  show("ok", "Sending the template…")
  const parameters = field("parameters", templateForm)
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((text) => ({ type: "text" as const, text }))
  try {
    const result = await client.sendTemplateMessage({
      from: field("from"),
      messages: [{ to: field("to"), template: { name: field("template", templateForm), parameters } }]
    })
    // One outcome per recipient: OneRoute may answer 200 and still fail a recipient.
    const lines = result.outcomes.map((outcome) =>
      outcome.status === "sent"
        ? `sent ${outcome.to}\nid: ${outcome.messageId}`
        : `failed ${outcome.to}\n${outcome.detail}`
    )
    const allSent = result.outcomes.every((outcome) => outcome.status === "sent")
    show(allSent ? "ok" : "failed", `${allSent ? "Template sent ✓" : "Template not sent ✗"}\n${lines.join("\n")}`)
  } catch (error) {
    showError(error)
  }
})
