/**
 * What the template and campaign endpoints share: their body (`from`, `messages[]` of template
 * recipients) read and checked in the documented order, and the per-message check of a template
 * against the channel's registered ones.
 */
import { NUMBER_PATTERN, TEMPLATE_NAME_PATTERN } from "./constants.js"
import { fail, json, readSendRequest } from "./http.js"
import type { EmulatorCore } from "./state.js"

/** A 400 in the style of OneRoute's documented one (`"\"template\" is required"`): the key, quoted. */
class BadRequest extends Error {}

/** Refuse the request with OneRoute's 400 style; caught by {@link readTemplateRequest}. */
export const bad = (message: string): never => {
  throw new BadRequest(message)
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const field = (object: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(object, key) ? object[key] : bad(`"${key}" is required`)

export const string = (value: unknown, key: string): string =>
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

/** One message of a template or campaign request. */
export interface Recipient {
  readonly to: string
  readonly name: string
  readonly parameters: ReadonlyArray<string>
  readonly buttons: ReadonlyArray<string>
  readonly save: boolean | undefined
  readonly metadata: Record<string, unknown> | undefined
}

const parseRecipient = (message: Record<string, unknown>): Recipient => {
  const to = string(field(message, "to"), "to")
  const template = object(field(message, "template"), "template")
  const name = string(field(template, "name"), "name")
  const parameters = texts(field(template, "parameters"), "parameters")
  const buttons = template.buttons === undefined ? [] : texts(template.buttons, "buttons")
  const save = message.save === undefined ? undefined : boolean(message.save, "save")
  const metadata = message.metadata === undefined ? undefined : object(message.metadata, "metadata")
  return { to, name, parameters, buttons, save, metadata }
}

/** How an endpoint reads its template-message body. */
export interface TemplateRequestSpec<Extra> {
  readonly path: string
  readonly limit: number
  readonly maxMessages: number
  /** The endpoint's own fields of one message, checked after the shared ones (may call {@link bad}). */
  readonly extra: (message: Record<string, unknown>, index: number) => Extra
  /** A check over every message, after each one passed (may call {@link bad}). */
  readonly whole?: (messages: ReadonlyArray<Recipient & Extra>) => void
}

/**
 * The checks of a template-message endpoint, in the documented order: the send checks (405, 401,
 * 415, 413, 400 not an object), the fields in document order (400, the documented key order
 * `{ data, success, message }`), the message count, the numbers (400), the channel (403). The
 * failure's `Response`, or the checked body.
 */
export const readTemplateRequest = async <Extra>(
  core: EmulatorCore,
  request: Request,
  spec: TemplateRequestSpec<Extra>
): Promise<Response | { readonly from: string; readonly messages: ReadonlyArray<Recipient & Extra> }> => {
  const raw = await readSendRequest(request, { path: spec.path, apiKey: core.apiKey, limit: spec.limit })
  if (raw instanceof Response) return raw
  let from: string
  let messages: ReadonlyArray<Recipient & Extra>
  try {
    from = string(field(raw, "from"), "from")
    const items = array(field(raw, "messages"), "messages")
    if (items.length === 0) bad('"messages" must contain at least 1 items')
    if (items.length > spec.maxMessages) {
      bad(`"messages" must contain less than or equal to ${spec.maxMessages} items`)
    }
    messages = items.map((item, index) => {
      const message = object(item, `messages[${index}]`)
      return { ...parseRecipient(message), ...spec.extra(message, index) }
    })
    spec.whole?.(messages)
  } catch (error) {
    if (error instanceof BadRequest) return json(400, { data: null, success: false, message: error.message })
    throw error
  }
  if (!NUMBER_PATTERN.test(from)) return fail(400, "Invalid WhatsApp number in from")
  const badTo = messages.findIndex((message) => !NUMBER_PATTERN.test(message.to))
  if (badTo !== -1) return fail(400, `Invalid WhatsApp number in messages[${badTo}].to`)
  if (core.channel(from) === undefined) return fail(403, `WhatsApp number ${from} is not connected to a channel`)
  return { from, messages }
}

/** Why a message's template cannot be sent from channel `from` (unknown, wrong counts, blank texts), if it cannot. */
export const templateProblem = (
  core: Pick<EmulatorCore, "template">,
  from: string,
  recipient: Pick<Recipient, "name" | "parameters" | "buttons">
): string | undefined => {
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
