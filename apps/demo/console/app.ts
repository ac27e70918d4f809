/** The support inbox page: conversations arrive over server-sent events; sends go through the relay (@oneroute/browser). */
import { createClient } from "@oneroute/browser"
import type { ClockWire, ConversationEventWire, ConversationWire, SnapshotWire } from "../src/console/wire.js"
import type { TemplateInfo } from "../src/environment.js"
import { type BoxResult, sendFromBox } from "./sendBox.js"
import { failureText, templateOutcomeText, windowBadge, windowText } from "./wording.js"

const client = createClient({ relayUrl: "/oneroute" })
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const element = <K extends keyof HTMLElementTagNameMap>(tag: K, text = "", className = "") => {
  const node = document.createElement(tag)
  node.textContent = text
  if (className !== "") node.className = className
  return node
}

const ui = {
  connection: byId<HTMLSpanElement>("connection"),
  simulate: byId<HTMLFormElement>("simulate"),
  list: byId<HTMLUListElement>("conversations"),
  noConversations: byId<HTMLParagraphElement>("no-conversations"),
  customer: byId<HTMLHeadingElement>("customer"),
  window: byId<HTMLParagraphElement>("window"),
  messages: byId<HTMLOListElement>("messages"),
  box: byId<HTMLFormElement>("send-box"),
  sessionFields: byId<HTMLFieldSetElement>("session-fields"),
  message: byId<HTMLTextAreaElement>("message"),
  templateFields: byId<HTMLFieldSetElement>("template-fields"),
  template: byId<HTMLSelectElement>("template"),
  parameters: byId<HTMLDivElement>("template-parameters"),
  send: byId<HTMLButtonElement>("send"),
  result: byId<HTMLParagraphElement>("send-result")
}

const state = {
  business: "",
  templates: [] as ReadonlyArray<TemplateInfo>,
  conversations: new Map<string, ConversationWire>(),
  selected: undefined as string | undefined,
  /** The server's clock minus this page's (the emulator's clock may be a day ahead). */
  offset: 0,
  sending: false
}

const now = () => Date.now() + state.offset
const selected = () => (state.selected === undefined ? undefined : state.conversations.get(state.selected))
const title = (conversation: ConversationWire) =>
  conversation.name !== undefined && conversation.customer !== undefined
    ? `${conversation.name} · +${conversation.customer}`
    : conversation.customer !== undefined
      ? `+${conversation.customer}`
      : (conversation.name ?? "A customer (number not known yet)")

const renderList = () => {
  const conversations = [...state.conversations.values()].sort((a, b) => b.updatedAt - a.updatedAt)
  ui.noConversations.hidden = conversations.length > 0
  ui.list.replaceChildren(
    ...conversations.map((conversation) => {
      const button = element("button")
      button.type = "button"
      button.dataset.key = conversation.key
      if (conversation.customer !== undefined) button.dataset.customer = conversation.customer
      button.setAttribute("aria-current", String(conversation.key === state.selected))
      const last = conversation.messages.at(-1)
      const badge = element("span", windowBadge(conversation.window, now()), `badge ${conversation.window.state}`)
      badge.dataset.windowBadge = conversation.key
      button.append(element("span", title(conversation), "who"), element("span", last?.text ?? "", "preview"), badge)
      button.addEventListener("click", () => select(conversation.key))
      const item = element("li")
      item.append(button)
      return item
    })
  )
}

const renderTemplateFields = () => {
  const template = state.templates.find((t) => t.name === ui.template.value)
  const field = (label: string, name: string) => {
    const wrapper = element("label", label)
    const input = element("input")
    input.name = name
    input.required = true
    wrapper.append(input)
    return wrapper
  }
  ui.parameters.replaceChildren(
    ...Array.from({ length: template?.parameters ?? 0 }, (_, i) => field(`Parameter ${i + 1}`, "parameter")),
    ...Array.from({ length: template?.buttons ?? 0 }, (_, i) => field(`Button ${i + 1}`, "button"))
  )
}

/** The box follows the window: a reply while it may be open, a template once it is known closed. */
const renderBox = (conversation: ConversationWire | undefined) => {
  ui.box.hidden = conversation?.customer === undefined
  if (conversation === undefined) return
  const closed = conversation.window.state === "closed"
  // A hidden part is disabled too, so that its required fields do not block the other's send.
  ui.sessionFields.hidden = ui.sessionFields.disabled = closed
  ui.templateFields.hidden = ui.templateFields.disabled = !closed
  ui.send.textContent = state.sending ? "Sending…" : closed ? "Send template" : "Send message"
}

const renderWindow = () => {
  const conversation = selected()
  ui.window.hidden = conversation === undefined
  if (conversation !== undefined) {
    ui.window.textContent = windowText(conversation.window, now())
    ui.window.className = conversation.window.state
  }
  for (const badge of ui.list.querySelectorAll<HTMLElement>("[data-window-badge]")) {
    const shown = state.conversations.get(badge.dataset.windowBadge ?? "")
    if (shown !== undefined) badge.textContent = windowBadge(shown.window, now())
  }
}

const renderThread = () => {
  const conversation = selected()
  ui.customer.textContent = conversation === undefined ? "Choose a conversation" : title(conversation)
  ui.messages.replaceChildren(
    ...(conversation?.messages ?? []).map((message) => {
      const item = element("li", message.template ? `Template ${message.text}` : message.text, message.direction)
      const time = element("time", new Date(message.at).toLocaleString())
      time.dateTime = new Date(message.at).toISOString()
      item.append(time)
      return item
    })
  )
  ui.messages.scrollTop = ui.messages.scrollHeight
  renderBox(conversation)
  renderWindow()
}

const select = (key: string) => {
  if (state.selected !== key) ui.result.textContent = ""
  state.selected = key
  renderList()
  renderThread()
}

const upsert = (conversation: ConversationWire) => {
  state.conversations.set(conversation.key, conversation)
  if (state.selected === undefined) state.selected = conversation.key
  renderList()
  renderThread()
}

const showResult = (ok: boolean, text: string) => {
  ui.result.className = ok ? "ok" : "failed"
  ui.result.textContent = text
}

const resultText = (result: BoxResult) =>
  result.via === "session"
    ? { ok: true, text: "Sent ✓" }
    : { ok: result.outcome.status === "sent", text: templateOutcomeText(result.outcome) }

const valuesOf = (name: string) =>
  [...ui.parameters.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)].map((input) => input.value)

ui.box.addEventListener("submit", async (event) => {
  event.preventDefault()
  const conversation = selected()
  // One send at a time: a double-click or a second Enter must not send the message twice.
  if (state.sending || conversation?.customer === undefined) return
  state.sending = true
  ui.send.disabled = true
  ui.send.textContent = "Sending…"
  ui.result.textContent = ""
  try {
    const result = await sendFromBox(client, {
      from: state.business,
      to: conversation.customer,
      window: conversation.window,
      message: ui.message.value,
      template: { name: ui.template.value, parameters: valuesOf("parameter"), buttons: valuesOf("button") }
    })
    const { ok, text } = resultText(result)
    showResult(ok, text)
    if (result.via === "session") ui.message.value = ""
  } catch (error) {
    showResult(false, failureText(error))
  } finally {
    state.sending = false
    ui.send.disabled = false
    renderBox(selected())
  }
})

ui.template.addEventListener("change", renderTemplateFields)

ui.simulate.addEventListener("submit", async (event) => {
  event.preventDefault()
  const customer = byId<HTMLInputElement>("sim-customer").value
  const text = byId<HTMLInputElement>("sim-text").value
  const response = await fetch("/demo/inbound", { method: "POST", body: JSON.stringify({ customer, text }) })
  if (!response.ok) ui.connection.textContent = `The customer could not write: ${await response.text()}`
})

const events = new EventSource("/events")
const data = <T>(event: Event) => JSON.parse((event as MessageEvent<string>).data) as T & { now: number }
const sync = (serverNow: number) => {
  state.offset = serverNow - Date.now()
}
events.addEventListener("snapshot", (event) => {
  const snapshot = data<SnapshotWire>(event)
  sync(snapshot.now)
  state.business = snapshot.business
  state.templates = snapshot.templates
  ui.simulate.hidden = !snapshot.canSimulate
  ui.template.replaceChildren(...snapshot.templates.map((template) => element("option", template.name)))
  renderTemplateFields()
  state.conversations = new Map(snapshot.conversations.map((conversation) => [conversation.key, conversation]))
  if (state.selected === undefined || !state.conversations.has(state.selected)) {
    state.selected = snapshot.conversations[0]?.key
  }
  ui.connection.className = "live"
  ui.connection.textContent = snapshot.receivesWebhooks
    ? "Live: customers' messages appear as they arrive"
    : "Live, but no webhooks: set ONEROUTE_WEBHOOK_SECRET to see customers' messages"
  renderList()
  renderThread()
})
events.addEventListener("conversation", (event) => {
  const { now: serverNow, conversation } = data<ConversationEventWire>(event)
  sync(serverNow)
  upsert(conversation)
})
events.addEventListener("clock", (event) => {
  sync(data<ClockWire>(event).now)
  renderWindow()
})
events.addEventListener("error", () => {
  const closed = events.readyState === EventSource.CLOSED
  ui.connection.className = "down"
  ui.connection.textContent = closed
    ? "Live updates stopped: too many console pages are open, or the server stopped. Reload to try again."
    : "Reconnecting…"
})

// The countdown runs on the server's clock between its events.
setInterval(renderWindow, 1_000)
