import { type Campaigns, createCampaigns } from "./campaigns.js"
import { type Clock, checkDate, createClock } from "./clock.js"
import {
  DEFAULT_CAMPAIGN_DELAY_MS,
  DEFAULT_CHANNEL,
  DEFAULT_TEMPLATES,
  MAX_ALLOWED_ORIGINS,
  MAX_CAMPAIGN_DELAY_MS,
  MAX_INBOUND_MESSAGES,
  MAX_INBOUND_TEXT_LENGTH,
  MAX_QUEUED_FAULTS,
  MAX_REGISTERED_TEMPLATES,
  MAX_TEMPLATE_BUTTONS,
  MAX_TEMPLATE_PARAMETERS,
  NUMBER_PATTERN,
  TEMPLATE_NAME_PATTERN,
  WINDOW_MS
} from "./constants.js"
import { EmulatorLimitError, show } from "./errors.js"
import { isLoopbackOrigin, normalOrigin } from "./http.js"
import { generateApiKey } from "./ids.js"
import { templateProblem } from "./templateMessages.js"
import type { Channel, Fault, RegisteredTemplate, SentMessage, SentTemplate, WebhookFault } from "./types.js"
import { parseWebhookFault } from "./webhookConfig.js"
import { createWebhooks, type Webhooks } from "./webhooks.js"

/** Options understood by the web-standard core (no host concerns such as port). */
export interface CoreOptions {
  readonly apiKey?: string | undefined
  readonly channels?: ReadonlyArray<{ readonly number: string; readonly name?: string | undefined }> | undefined
  readonly now?: Date | undefined
  /**
   * Browser origins whose pages may call the emulator (CORS). Default: pages served from
   * loopback (`localhost`, `127.0.0.1`, `[::1]`, any port). `[]`: no browser page at all.
   */
  readonly allowedOrigins?: ReadonlyArray<string> | undefined
  /** Emulator time between a campaign's 201 and the delivery of its messages (default 5,000 ms). */
  readonly campaignDelayMs?: number | undefined
  /** Where to post signed webhooks (checked like `configure`'s input). */
  readonly webhook?: unknown
}

/** An inbound message: customer `from` wrote `text` to business `to`. */
export interface InboundInput {
  readonly from: string
  readonly to: string
  readonly at?: Date | undefined
  /** The message's text in the webhook (default `"Hello"`). */
  readonly text?: string | undefined
  /** The customer's WhatsApp profile name in the webhook (default `"WhatsApp customer"`). */
  readonly name?: string | undefined
  /** A delivery fault for this message's webhook (instead of the queued one). */
  readonly webhookFault?: WebhookFault | undefined
}

/** Everything the handler and the public `Emulator` share. */
export interface EmulatorCore {
  readonly apiKey: string
  readonly channels: ReadonlyArray<Channel>
  readonly clock: Clock
  /** Public base URL, set by the host once it listens. */
  url: string
  /** May a browser page of `origin` (the request's `Origin` header) call the emulator? */
  allowsOrigin(origin: string): boolean
  channel(number: string): Channel | undefined
  /** Record an inbound message (opening the window) and announce it to the webhook receiver. */
  receiveInbound(input: InboundInput): void
  /** Is the 24 h window open for business `from` → customer `to` at emulator time `now`? */
  windowOpen(from: string, to: string, now: Date): boolean
  conversationId(from: string, to: string): string
  record(message: SentMessage): void
  sent(): ReadonlyArray<SentMessage>
  /** Registers (or replaces) a template on a connected channel; throws TypeError on bad input. */
  registerTemplate(input: unknown): RegisteredTemplate
  /** Every registered template, channel by channel. */
  templates(): ReadonlyArray<RegisteredTemplate>
  /** The template `name` of channel `from`, if registered. */
  template(from: string, name: string): RegisteredTemplate | undefined
  recordTemplate(message: SentTemplate): void
  sentTemplates(): ReadonlyArray<SentTemplate>
  /** The campaigns accepted, and their delivery. */
  readonly campaigns: Campaigns
  /** The signed webhooks. */
  readonly webhooks: Webhooks
  countRequest(): void
  requests(): number
  inject(fault: Fault): void
  takeFault(): Fault | undefined
  /** Wait until `reset()`/`shutdown()` or until `signal` aborts. */
  hold(signal: AbortSignal): Promise<void>
  reset(): void
  shutdown(): void
}

export const checkNumber = (value: unknown, what: string): string => {
  if (typeof value !== "string" || !NUMBER_PATTERN.test(value)) {
    throw new TypeError(`${what} must be a WhatsApp number: digits with country code, no "+" (got ${show(value)})`)
  }
  return value
}

const checkApiKey = (value: unknown): string => {
  if (typeof value !== "string" || !/^[\x21-\x7e]+$/.test(value)) {
    throw new TypeError("apiKey must be a non-empty string of printable ASCII characters without spaces")
  }
  return value
}

const resolveChannels = (input: CoreOptions["channels"]): ReadonlyArray<Channel> => {
  if (input === undefined) return [{ ...DEFAULT_CHANNEL }]
  if (!Array.isArray(input) || input.length === 0) throw new TypeError("channels must be a non-empty array")
  const seen = new Set<string>()
  return input.map((channel, index) => {
    const number = checkNumber(channel?.number, `channels[${index}].number`)
    if (seen.has(number)) throw new TypeError(`channels[${index}].number ${number} is listed twice`)
    seen.add(number)
    const name = channel.name ?? number
    if (typeof name !== "string" || name.length === 0)
      throw new TypeError(`channels[${index}].name must be a non-empty string`)
    return Object.freeze({ number, name })
  })
}

const count = (value: unknown, what: string, max: number): number => {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
    throw new TypeError(`${what} must be a whole number from 0 to ${max} (got ${show(value)})`)
  }
  return value
}

const copyTemplate = (m: SentTemplate): SentTemplate =>
  Object.freeze({
    id: m.id,
    from: m.from,
    to: m.to,
    template: Object.freeze({
      name: m.template.name,
      parameters: Object.freeze([...m.template.parameters]),
      buttons: Object.freeze([...m.template.buttons])
    }),
    ...(m.save === undefined ? {} : { save: m.save }),
    ...(m.metadata === undefined
      ? {}
      : { metadata: JSON.parse(JSON.stringify(m.metadata)) as Readonly<Record<string, unknown>> }),
    at: new Date(m.at.getTime())
  })

const copy = (m: SentMessage): SentMessage =>
  Object.freeze({ id: m.id, from: m.from, to: m.to, message: m.message, at: new Date(m.at.getTime()) })

const resolveOrigins = (input: CoreOptions["allowedOrigins"]): ((origin: string) => boolean) => {
  if (input === undefined) return isLoopbackOrigin
  if (!Array.isArray(input) || input.length > MAX_ALLOWED_ORIGINS) {
    throw new TypeError(`allowedOrigins must be an array of at most ${MAX_ALLOWED_ORIGINS} origins`)
  }
  const allowed = new Set(
    input.map((origin: unknown, index) => {
      const normal = normalOrigin(origin)
      if (normal === undefined) {
        throw new TypeError(
          `allowedOrigins[${index}] must be an origin such as "http://localhost:5173" (scheme, host, port; no path) (got ${show(origin)})`
        )
      }
      return normal
    })
  )
  return (origin) => allowed.has(origin)
}

const checkCampaignDelay = (value: unknown): number => {
  if (value === undefined) return DEFAULT_CAMPAIGN_DELAY_MS
  return count(value, "campaignDelayMs", MAX_CAMPAIGN_DELAY_MS)
}

const optionalText = (value: unknown, what: string, max: number, fallback: string): string => {
  if (value === undefined) return fallback
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    throw new TypeError(`${what} must be a non-empty string of at most ${max} characters (got ${show(value)})`)
  }
  return value
}

export const createCore = (options: CoreOptions = {}): EmulatorCore => {
  const apiKey = options.apiKey === undefined ? generateApiKey() : checkApiKey(options.apiKey)
  const channels = Object.freeze(resolveChannels(options.channels))
  const allowsOrigin = resolveOrigins(options.allowedOrigins)
  const byNumber = new Map(channels.map((c) => [c.number, c] as const))
  const campaignDelayMs = checkCampaignDelay(options.campaignDelayMs)
  // The campaigns (made below, with the templates they check) deliver what is due when the clock moves.
  const clock = createClock(options.now, () => campaigns.clockChanged())
  const webhooks = createWebhooks({ clock, initial: options.webhook })
  /** key `${business}|${customer}` → inbound times (ms). */
  const inbound = new Map<string, Array<number>>()
  let inboundCount = 0
  const conversations = new Map<string, string>()
  const sentMessages: Array<SentMessage> = []
  const sentTemplateMessages: Array<SentTemplate> = []
  /** key `${channel}|${name}` → template, in registration order. */
  const registered = new Map<string, RegisteredTemplate>()
  const registerDefaults = () => {
    registered.clear()
    for (const channel of channels) {
      for (const template of DEFAULT_TEMPLATES) {
        registered.set(`${channel.number}|${template.name}`, Object.freeze({ channel: channel.number, ...template }))
      }
    }
  }
  registerDefaults()
  const campaigns = createCampaigns({
    clock,
    delayMs: campaignDelayMs,
    problem: (from, message) =>
      templateProblem({ template: (channel, name) => registered.get(`${channel}|${name}`) }, from, {
        name: message.template.name,
        parameters: message.template.parameters,
        buttons: message.template.buttons
      })
  })
  const faults: Array<{ fault: Fault; remaining: number }> = []
  const held = new Set<() => void>()
  let requestCount = 0
  let closed = false

  /** The conversation of business `from` with customer `to`: one id per pair, kept across `reset()`. */
  const conversationIdOf = (from: string, to: string): string => {
    const key = `${from}|${to}`
    let id = conversations.get(key)
    if (id === undefined) {
      id = crypto.randomUUID()
      conversations.set(key, id)
    }
    return id
  }

  const releaseHeld = () => {
    for (const release of [...held]) release()
  }

  return {
    apiKey,
    channels,
    clock,
    url: "",
    allowsOrigin,
    channel: (number) => byNumber.get(number),
    receiveInbound: (input) => {
      if (typeof input !== "object" || input === null) {
        throw new TypeError("receiveInbound expects { from, to, at?, text?, name?, webhookFault? }")
      }
      const customer = checkNumber(input.from, "from (customer)")
      const business = checkNumber(input.to, "to (business)")
      if (!byNumber.has(business)) throw new TypeError(`WhatsApp number ${business} is not connected to a channel`)
      const at = input.at === undefined ? clock.now() : checkDate(input.at, "at")
      const text = optionalText(input.text, "text", MAX_INBOUND_TEXT_LENGTH, "Hello")
      const name = optionalText(input.name, "name", 256, "WhatsApp customer")
      const fault = input.webhookFault === undefined ? undefined : parseWebhookFault(input.webhookFault)
      if (fault !== undefined && webhooks.config() === undefined) {
        throw new TypeError("webhookFault needs a webhook receiver: configure one first")
      }
      if (inboundCount >= MAX_INBOUND_MESSAGES) {
        throw new EmulatorLimitError(
          "inbound",
          MAX_INBOUND_MESSAGES,
          `at most ${MAX_INBOUND_MESSAGES} inbound messages are remembered; reset() forgets them`
        )
      }
      webhooks.checkRoom()
      const key = `${business}|${customer}`
      const times = inbound.get(key) ?? []
      times.push(at.getTime())
      inbound.set(key, times)
      inboundCount += 1
      const conversationId = conversationIdOf(business, customer)
      webhooks.announce({ customer, business, conversationId, name, text, at }, fault)
    },
    windowOpen: (from, to, now) => {
      const t = now.getTime()
      return (inbound.get(`${from}|${to}`) ?? []).some((at) => at <= t && t - at <= WINDOW_MS)
    },
    conversationId: conversationIdOf,
    record: (message) => {
      sentMessages.push(copy(message))
    },
    sent: () => Object.freeze(sentMessages.map(copy)),
    registerTemplate: (input) => {
      if (typeof input !== "object" || input === null || Array.isArray(input)) {
        throw new TypeError("registerTemplate expects { channel, name, parameters, buttons? }")
      }
      const raw = input as Record<string, unknown>
      for (const key of Object.keys(raw)) {
        if (!["channel", "name", "parameters", "buttons"].includes(key)) {
          throw new TypeError(`unknown property ${show(key)} for a template`)
        }
      }
      const channel = checkNumber(raw.channel, "channel")
      if (!byNumber.has(channel)) throw new TypeError(`WhatsApp number ${channel} is not connected to a channel`)
      const name = raw.name
      if (typeof name !== "string" || !TEMPLATE_NAME_PATTERN.test(name)) {
        throw new TypeError(`name must be 1 to 512 lowercase letters, digits and underscores (got ${show(name)})`)
      }
      const template = Object.freeze({
        channel,
        name,
        parameters: count(raw.parameters, "parameters", MAX_TEMPLATE_PARAMETERS),
        buttons: raw.buttons === undefined ? 0 : count(raw.buttons, "buttons", MAX_TEMPLATE_BUTTONS)
      })
      const key = `${channel}|${name}`
      if (!registered.has(key) && registered.size >= MAX_REGISTERED_TEMPLATES) {
        throw new EmulatorLimitError(
          "templates",
          MAX_REGISTERED_TEMPLATES,
          `at most ${MAX_REGISTERED_TEMPLATES} templates can be registered; reset() puts back the defaults`
        )
      }
      registered.set(key, template)
      return template
    },
    templates: () => Object.freeze([...registered.values()]),
    template: (from, name) => registered.get(`${from}|${name}`),
    recordTemplate: (message) => {
      sentTemplateMessages.push(copyTemplate(message))
    },
    sentTemplates: () => Object.freeze(sentTemplateMessages.map(copyTemplate)),
    campaigns,
    webhooks,
    countRequest: () => {
      requestCount += 1
    },
    requests: () => requestCount,
    inject: (fault) => {
      if (faults.length >= MAX_QUEUED_FAULTS) {
        throw new EmulatorLimitError(
          "faults",
          MAX_QUEUED_FAULTS,
          `at most ${MAX_QUEUED_FAULTS} faults can wait in the queue (use times: n to repeat one); reset() empties it`
        )
      }
      faults.push({ fault, remaining: fault.times ?? 1 })
    },
    takeFault: () => {
      const head = faults[0]
      if (head === undefined) return undefined
      head.remaining -= 1
      if (head.remaining <= 0) faults.shift()
      return head.fault
    },
    hold: (signal) =>
      new Promise<void>((resolve) => {
        if (closed || signal.aborted) return resolve()
        const release = () => {
          held.delete(release)
          signal.removeEventListener("abort", release)
          resolve()
        }
        held.add(release)
        signal.addEventListener("abort", release, { once: true })
      }),
    reset: () => {
      sentMessages.length = 0
      sentTemplateMessages.length = 0
      registerDefaults()
      faults.length = 0
      inbound.clear()
      inboundCount = 0
      requestCount = 0
      clock.reset()
      campaigns.reset()
      webhooks.reset()
      releaseHeld()
    },
    shutdown: () => {
      closed = true
      faults.length = 0
      campaigns.shutdown()
      webhooks.shutdown()
      releaseHeld()
    }
  }
}
