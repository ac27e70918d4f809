import {
  MAX_TEMPLATE_BODY_BYTES,
  MAX_TEMPLATE_RECIPIENTS,
  NUMBER_PATTERN,
  TEMPLATE_NAME_PATTERN,
  TEMPLATE_PATH
} from "./constants.js"
import { fail, json, readSendRequest } from "./http.js"
import { externalId } from "./ids.js"
import type { EmulatorCore } from "./state.js"
import type { SentTemplate } from "./types.js"

/** A 400 in the style of OneRoute's documented one (`"\"template\" is required"`): the key, quoted. */
class BadRequest extends Error {}
const bad = (message: string): never => {
  throw new BadRequest(message)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const field = (object: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(object, key) ? object[key] : bad(`"${key}" is required`)

const string = (value: unknown, key: string): string =>
  typeof value === "string" ? value : bad(`"${key}" must be a string`)

const array = (value: unknown, key: string): ReadonlyArray<unknown> =>
  Array.isArray(value) ? value : bad(`"${key}" must be an array`)

const boolean = (value: unknown, key: string): boolean =>
  typeof value === "boolean" ? value : bad(`"${key}" must be a boolean`)

const object = (value: unknown, key: string): Record<string, unknown> =>
  isObject(value) ? value : bad(`"${key}" must be of type object`)

/** `[{ type: "text", text }]` → the texts. */
const texts = (value: unknown, key: string): ReadonlyArray<string> =>
  array(value, key).map((item, index) => {
    const parameter = object(item, `${key}[${index}]`)
    if (field(parameter, "type") !== "text") bad('"type" must be [text]')
    return string(field(parameter, "text"), "text")
  })

interface Recipient {
  readonly to: string
  readonly name: string
  readonly parameters: ReadonlyArray<string>
  readonly buttons: ReadonlyArray<string>
  readonly save: boolean | undefined
  readonly metadata: Record<string, unknown> | undefined
}

/** The body's shape, checked field by field in document order; the first problem throws `BadRequest`. */
const parseBody = (body: Record<string, unknown>): { from: string; recipients: ReadonlyArray<Recipient> } => {
  const from = string(field(body, "from"), "from")
  const messages = array(field(body, "messages"), "messages")
  if (messages.length === 0) bad('"messages" must contain at least 1 items')
  if (messages.length > MAX_TEMPLATE_RECIPIENTS) {
    bad(`"messages" must contain less than or equal to ${MAX_TEMPLATE_RECIPIENTS} items`)
  }
  const recipients = messages.map((item, index): Recipient => {
    const message = object(item, `messages[${index}]`)
    const to = string(field(message, "to"), "to")
    const template = object(field(message, "template"), "template")
    const name = string(field(template, "name"), "name")
    const parameters = texts(field(template, "parameters"), "parameters")
    const buttons = template.buttons === undefined ? [] : texts(template.buttons, "buttons")
    const save = message.save === undefined ? undefined : boolean(message.save, "save")
    const metadata = message.metadata === undefined ? undefined : object(message.metadata, "metadata")
    return { to, name, parameters, buttons, save, metadata }
  })
  return { from, recipients }
}

/** Why a recipient's template cannot be sent (a `data[i]` entry with `status: "failed"`), if it cannot. */
const recipientProblem = (core: EmulatorCore, from: string, recipient: Recipient): string | undefined => {
  const { name, parameters, buttons } = recipient
  const shownName = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)
  const template = TEMPLATE_NAME_PATTERN.test(name) ? core.template(from, name) : undefined
  if (template === undefined) return `Template ${shownName} is not registered on channel ${from}`
  if (parameters.length !== template.parameters) {
    return `Template ${shownName} expects ${template.parameters} parameters, got ${parameters.length}`
  }
  if (buttons.length !== template.buttons) {
    return `Template ${shownName} expects ${template.buttons} buttons, got ${buttons.length}`
  }
  const blank = [...parameters, ...buttons].findIndex((text) => text.trim().length === 0)
  if (blank !== -1) return `Template ${shownName}: parameter and button texts must not be blank`
  return undefined
}

/**
 * Normal handling of the template endpoint (no faults): the checks in the documented order, then
 * 200 with one `data` entry per recipient, `"success"` (recorded) or `"failed"` (not recorded).
 */
export const handleTemplate = async (core: EmulatorCore, request: Request): Promise<Response> => {
  const raw = await readSendRequest(request, {
    path: TEMPLATE_PATH,
    apiKey: core.apiKey,
    limit: MAX_TEMPLATE_BODY_BYTES
  })
  if (raw instanceof Response) return raw
  let body: ReturnType<typeof parseBody>
  try {
    body = parseBody(raw)
  } catch (error) {
    // The documented 400's own key order.
    if (error instanceof BadRequest) return json(400, { data: null, success: false, message: error.message })
    throw error
  }
  const { from, recipients } = body
  if (!NUMBER_PATTERN.test(from)) return fail(400, "Invalid WhatsApp number in from")
  const badTo = recipients.findIndex((recipient) => !NUMBER_PATTERN.test(recipient.to))
  if (badTo !== -1) return fail(400, `Invalid WhatsApp number in messages[${badTo}].to`)
  if (core.channel(from) === undefined) return fail(403, `WhatsApp number ${from} is not connected to a channel`)
  const at = core.clock.now()
  const accepted: Array<SentTemplate> = []
  const data = recipients.map((recipient) => {
    const problem = recipientProblem(core, from, recipient)
    if (problem !== undefined) return { status: "failed", response: problem }
    const id = externalId()
    accepted.push({
      id,
      from,
      to: recipient.to,
      template: { name: recipient.name, parameters: recipient.parameters, buttons: recipient.buttons },
      ...(recipient.save === undefined ? {} : { save: recipient.save }),
      ...(recipient.metadata === undefined ? {} : { metadata: recipient.metadata }),
      at
    })
    return { status: "success", response: id }
  })
  const response = json(200, { data, message: "Message sent to customer", success: true })
  for (const message of accepted) core.recordTemplate(message)
  return response
}
