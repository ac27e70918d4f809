/**
 * Drive a running emulator over its `/__emulator/` HTTP controls, from any runtime with
 * `fetch` (a browser page, Deno, another process).
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import type { InboundMessage, WebhookOptions } from "./Emulator.js"
import { type EmulatorLimit, EmulatorLimitError } from "./internal/emulator/errors.js"
import type {
  Campaign,
  Channel,
  Fault,
  RegisteredTemplate,
  SentMessage,
  SentTemplate,
  WebhookConfig,
  WebhookDelivery,
  WebhookFault
} from "./internal/emulator/types.js"

export {
  /** The bounded collections: `"faults" | "templates" | "inbound"`. */
  type EmulatorLimit,
  /**
   * A bound of the emulator was reached (`limit`: `"faults"`, `"templates"` or `"inbound"`; `max`:
   * its size). Thrown by `inject`, `registerTemplate` and `receiveInbound`, and by
   * `connectEmulator`'s methods when the control answers 409. Nothing changed; `reset()` empties them.
   *
   * @since 0.2.0
   */
  EmulatorLimitError
} from "./internal/emulator/errors.js"

/**
 * The emulator's controls, over HTTP.
 *
 * @since 0.1.0
 */
export interface EmulatorControl {
  /** The emulator's base URL, `http://127.0.0.1:PORT`. */
  readonly url: string
  /** The API key the emulator accepts. */
  readonly apiKey: string
  /** The connected business numbers (channels), the first being the default. */
  readonly channels: ReadonlyArray<Channel>
  /** Opens the 24-hour window: customer `from` wrote to business `to` (and posts the webhook, if one is configured). */
  receiveInbound(input: InboundMessage): Promise<void>
  /** Every session message the emulator accepted, in order. */
  sent(): Promise<ReadonlyArray<SentMessage>>
  /**
   * Every template message the emulator accepted (one entry per recipient sent), in order.
   *
   * @since 0.2.0
   */
  sentTemplates(): Promise<ReadonlyArray<SentTemplate>>
  /**
   * Registers (or replaces) a template on a connected channel (`POST /__emulator/templates`).
   *
   * @since 0.2.0
   */
  registerTemplate(input: {
    readonly channel: string
    readonly name: string
    readonly parameters: number
    readonly buttons?: number
  }): Promise<RegisteredTemplate>
  /**
   * Every registered template (`GET /__emulator/templates`).
   *
   * @since 0.2.0
   */
  templates(): Promise<ReadonlyArray<RegisteredTemplate>>
  /** Requests to either send endpoint received since the last reset. */
  requests(): Promise<number>
  /**
   * Queues a fault (`POST /__emulator/faults`). Rejects with `EmulatorLimitError` when 100 faults
   * already wait (the control answers 409).
   */
  inject(fault: Fault): Promise<void>
  /**
   * Every campaign accepted, with each message's status (`GET /__emulator/campaigns`).
   *
   * @since 0.4.0
   */
  campaigns(): Promise<ReadonlyArray<Campaign>>
  /**
   * Delivers every pending campaign now (`POST /__emulator/deliver-campaigns`); the campaigns delivered.
   *
   * @since 0.4.0
   */
  deliverCampaigns(): Promise<ReadonlyArray<Campaign>>
  /**
   * Sets the webhook receiver, or removes it with `null` (`POST /__emulator/webhook`).
   *
   * @since 0.4.0
   */
  configureWebhook(webhook: WebhookOptions | null): Promise<void>
  /**
   * The webhook receiver in use, without its secret (`GET /__emulator/webhook`).
   *
   * @since 0.4.0
   */
  webhook(): Promise<WebhookConfig | undefined>
  /**
   * Queues a webhook delivery fault (`POST /__emulator/webhook-faults`).
   *
   * @since 0.4.0
   */
  injectWebhookFault(fault: WebhookFault): Promise<void>
  /**
   * Every webhook delivery attempt so far (`GET /__emulator/webhook-deliveries`).
   *
   * @since 0.4.0
   */
  webhookDeliveries(): Promise<ReadonlyArray<WebhookDelivery>>
  /**
   * Sends held events and waits for every delivery (`POST /__emulator/webhook-flush`).
   *
   * @since 0.4.0
   */
  flushWebhooks(): Promise<ReadonlyArray<WebhookDelivery>>
  /** Moves the emulator clock by `ms` (due campaigns are delivered). */
  advanceClock(ms: number): Promise<void>
  /** Clears what was sent, faults, windows and the clock offset, as the emulator's `reset()`. */
  reset(): Promise<void>
}

const call = async (base: string, name: string, body?: unknown): Promise<unknown> => {
  const response = await fetch(`${base}/__emulator/${name}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const envelope = (await response.json()) as { data: unknown; message: string }
  if (response.status === 409) {
    const { limit, max } = envelope.data as { limit: EmulatorLimit; max: number }
    throw new EmulatorLimitError(limit, max, `Emulator control ${name} failed: ${envelope.message}`)
  }
  if (!response.ok) throw new Error(`Emulator control ${name} failed: ${response.status} ${envelope.message}`)
  return envelope.data
}

/** The optional dates of a record, revived from their ISO strings (only those present). */
const dates = (record: Record<string, unknown>, keys: ReadonlyArray<string>): Record<string, Date> =>
  Object.fromEntries(
    keys.filter((key) => typeof record[key] === "string").map((key) => [key, new Date(record[key] as string)])
  )

const toCampaigns = (data: unknown): ReadonlyArray<Campaign> =>
  (data as ReadonlyArray<Record<string, unknown> & { messages: ReadonlyArray<Record<string, unknown>> }>).map(
    (campaign) =>
      ({
        ...campaign,
        ...dates(campaign, ["acceptedAt", "dueAt", "deliveredAt"]),
        messages: campaign.messages.map((message) => ({ ...message, ...dates(message, ["sentAt", "failedAt"]) }))
      }) as unknown as Campaign
  )

const toDeliveries = (data: unknown): ReadonlyArray<WebhookDelivery> =>
  (data as ReadonlyArray<Record<string, unknown>>).map(
    (delivery) => ({ ...delivery, ...dates(delivery, ["at"]) }) as unknown as WebhookDelivery
  )

/**
 * Connects to the emulator at `url` (for example `http://127.0.0.1:4010`).
 *
 * @since 0.1.0
 */
export const connectEmulator = async (url: string): Promise<EmulatorControl> => {
  const base = url.replace(/\/$/, "")
  const info = (await call(base, "info")) as { apiKey: string; channels: ReadonlyArray<Channel> }
  return {
    url: base,
    apiKey: info.apiKey,
    channels: info.channels,
    receiveInbound: async ({ at, ...rest }) => {
      await call(base, "inbound", at === undefined ? rest : { ...rest, at: at.toISOString() })
    },
    campaigns: async () => toCampaigns(await call(base, "campaigns")),
    deliverCampaigns: async () => toCampaigns(await call(base, "deliver-campaigns", {})),
    configureWebhook: async (webhook) => {
      await call(base, "webhook", {
        webhook:
          webhook === null
            ? null
            : {
                ...webhook,
                secret: Redacted.isRedacted(webhook.secret) ? Redacted.value(webhook.secret) : webhook.secret
              }
      })
    },
    webhook: async () => ((await call(base, "webhook")) as WebhookConfig | null) ?? undefined,
    injectWebhookFault: async (fault) => {
      await call(base, "webhook-faults", fault)
    },
    webhookDeliveries: async () => toDeliveries(await call(base, "webhook-deliveries")),
    flushWebhooks: async () => toDeliveries(await call(base, "webhook-flush", {})),
    sent: async () => {
      const sent = (await call(base, "sent")) as ReadonlyArray<Omit<SentMessage, "at"> & { at: string }>
      return sent.map((message) => ({ ...message, at: new Date(message.at) }))
    },
    sentTemplates: async () => {
      const sent = (await call(base, "sent-templates")) as ReadonlyArray<Omit<SentTemplate, "at"> & { at: string }>
      return sent.map((message) => ({ ...message, at: new Date(message.at) }))
    },
    registerTemplate: async (input) => (await call(base, "templates", input)) as RegisteredTemplate,
    templates: async () => (await call(base, "templates")) as ReadonlyArray<RegisteredTemplate>,
    requests: async () => ((await call(base, "requests")) as { count: number }).count,
    inject: async (fault) => {
      await call(base, "faults", fault)
    },
    advanceClock: async (ms) => {
      await call(base, "clock", { advanceMs: ms })
    },
    reset: async () => {
      await call(base, "reset", {})
    }
  }
}
