import type * as Redacted from "effect/Redacted"
import type {
  Campaign,
  Fault,
  RegisteredTemplate,
  SentMessage,
  SentTemplate,
  WebhookConfig,
  WebhookDelivery,
  WebhookFault
} from "./internal/emulator/types.js"
import * as internal from "./internal/startEmulator.js"

export {
  /**
   * Path of the emulated "Send Campaign Message" endpoint.
   *
   * @since 0.4.0
   */
  CAMPAIGN_PATH,
  /**
   * Path of the emulated "Send WhatsApp Session Message" endpoint.
   *
   * @since 0.4.0
   */
  SEND_PATH,
  /**
   * Path of the emulated "Send Template Message" endpoint.
   *
   * @since 0.4.0
   */
  TEMPLATE_PATH,
  /**
   * The header carrying a webhook's signature (`x-oneroute-signature`).
   *
   * @since 0.4.0
   */
  WEBHOOK_SIGNATURE_HEADER
} from "./internal/emulator/constants.js"

export type {
  /** `{ kind: "bad-signature"; signature?: "mismatch" | "missing" | "malformed" }`: sign wrongly (default: another key's HMAC). @since 0.4.0 */
  BadSignatureWebhookFault,
  /**
   * A campaign the emulator accepted: `{ id, from, acceptedAt, dueAt, deliveredAt?, messages }`.
   *
   * @since 0.4.0
   */
  Campaign,
  /**
   * One message of a campaign: `{ identifier, identifierSource, to, template, save?, metadata?,
   * status: "pending" | "sent" | "failed", id?, sentAt?, reason?, failedAt? }`.
   *
   * @since 0.4.0
   */
  CampaignMessage,
  /** A WhatsApp business number connected to the emulated account (`{ number, name }`). */
  Channel,
  /** `{ kind: "delay"; ms }`: send the event `ms` real milliseconds late. @since 0.4.0 */
  DelayWebhookFault,
  /** `{ kind: "duplicate"; copies? }`: send the event `copies` times (default 2). @since 0.4.0 */
  DuplicateWebhookFault,
  /** A one-shot (or `times`-shot) fault for the next requests to the send endpoints (session, template, campaign), FIFO. */
  Fault,
  /** Options every fault accepts: `times` (default 1). */
  FaultBase,
  /** `{ kind: "hang"; accept? }`: never answer until `reset()`/`close()`. */
  HangFault,
  /** `{ kind: "latency"; ms }`: delay, then normal handling. */
  LatencyFault,
  /** `{ kind: "malformed" }`: accepted, 200 with a non-JSON body. */
  MalformedFault,
  /** `{ kind: "non-ascii" }`: a message text full of non-ASCII characters. @since 0.4.0 */
  NonAsciiWebhookFault,
  /** `{ kind: "oversize"; bytes? }`: a body of at least `bytes` (default 2 MiB), correctly signed. @since 0.4.0 */
  OversizeWebhookFault,
  /** `{ kind: "rate-limit"; retryAfter? }`: 429 "Too many requests". */
  RateLimitFault,
  /**
   * A template registered on a channel: `{ channel, name, parameters, buttons }` (counts).
   *
   * @since 0.2.0
   */
  RegisteredTemplate,
  /** `{ kind: "reorder" }`: hold the event and send it after the next one. @since 0.4.0 */
  ReorderWebhookFault,
  /** `{ kind: "reserialized" }`: other bytes (pretty-printed, escaped) that only `JSON.stringify(JSON.parse(raw))` verifies. @since 0.4.0 */
  ReserializedWebhookFault,
  /** `{ kind: "reset"; when }`: connection destroyed without a response. */
  ResetFault,
  /** A message the emulator accepted: `{ id, from, to, message, at }`. */
  SentMessage,
  /**
   * A template message the emulator accepted for one recipient:
   * `{ id, from, to, template: { name, parameters, buttons }, save?, metadata?, at }`.
   *
   * @since 0.2.0
   */
  SentTemplate,
  /** `{ kind: "status"; status; body?; contentType? }`: answer with that status. */
  StatusFault,
  /** `{ kind: "truncated" }`: accepted, 200 with the first half of the JSON body. */
  TruncatedFault,
  /**
   * The webhook receiver as the emulator uses it (the secret is never shown):
   * `{ url, allowRemote, includeNumbers, timeoutMs, maxAttempts }`.
   *
   * @since 0.4.0
   */
  WebhookConfig,
  /**
   * One attempt to deliver one copy of a webhook event:
   * `{ eventId, event, conversationId, copy, attempt, fault?, status?, error?, bytes, at }`.
   *
   * @since 0.4.0
   */
  WebhookDelivery,
  /**
   * A delivery fault for the next webhook event(s): duplicate, delay, reorder, bad-signature,
   * reserialized, non-ascii or oversize.
   *
   * @since 0.4.0
   */
  WebhookFault,
  /** Options every webhook fault accepts: `times` (default 1). @since 0.4.0 */
  WebhookFaultBase
} from "./internal/emulator/types.js"

/** Options for {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free port. */
  readonly port?: number
  /** Interface to bind; default `127.0.0.1`. */
  readonly host?: string
  /** API key clients must send in the `apiKey` header; default `test_` + 24 random hex characters. */
  readonly apiKey?: string
  /** Connected business numbers; default `[{ number: "2348000000001", name: "OneRoute Demo" }]`. A missing name defaults to the number. */
  readonly channels?: ReadonlyArray<{ readonly number: string; readonly name?: string }>
  /** Initial emulator clock time (the clock keeps ticking from there); default real time. */
  readonly now?: Date
  /**
   * Browser origins (`"http://localhost:5173"`: scheme, host, port) whose pages may call the
   * emulator, its controls included (`/__emulator/info` shows the API key). Default: pages served
   * from loopback (`localhost`, `127.0.0.1`, `[::1]`, any port), as test runners serve theirs.
   * `[]` refuses every browser page. A request with another `Origin` gets 403 and no CORS
   * header; requests without one (Node, Deno, curl) are always served.
   *
   * @since 0.2.0
   */
  readonly allowedOrigins?: ReadonlyArray<string>
  /**
   * Emulator time, in milliseconds, between accepting a campaign (its 201) and delivering its
   * messages: 0 to 86,400,000, default 5,000. Moving the clock past it delivers at once.
   *
   * @since 0.4.0
   */
  readonly campaignDelayMs?: number
  /**
   * Post a signed `newMessage` webhook to this receiver on every `receiveInbound`. Default: none.
   *
   * @since 0.4.0
   */
  readonly webhook?: WebhookOptions
}

/**
 * Where and how the emulator posts signed webhooks.
 *
 * @since 0.4.0
 */
export interface WebhookOptions {
  /** The receiver (`http:` or `https:`); it must be on loopback unless `allowRemote` is true. */
  readonly url: string
  /** The key of the HMAC-SHA512 in `x-oneroute-signature` (1 to 1,024 characters); never shown. */
  readonly secret: string | Redacted.Redacted<string>
  /** Allow a receiver that is not on loopback (default false). */
  readonly allowRemote?: boolean
  /** Add the emulator's own `emulator: { customer, business }` numbers to the payload (default false). */
  readonly includeNumbers?: boolean
  /** Real milliseconds one attempt may take: 1 to 60,000, default 5,000. */
  readonly timeoutMs?: number
  /** Attempts per delivery, the first included: 1 to 10, default 3. */
  readonly maxAttempts?: number
}

/**
 * An inbound WhatsApp message for {@link Emulator.receiveInbound}.
 *
 * @since 0.4.0
 */
export interface InboundMessage {
  /** The customer's number. */
  readonly from: string
  /** The business number (a connected channel). */
  readonly to: string
  /** When the customer wrote (default: emulator now). */
  readonly at?: Date
  /** The message's text in the webhook: 1 to 4,096 characters, default `"Hello"`. */
  readonly text?: string
  /** The customer's profile name in the webhook: 1 to 256 characters, default `"WhatsApp customer"`. */
  readonly name?: string
  /** A delivery fault for this message's webhook (instead of the next queued one); needs a receiver. */
  readonly webhookFault?: WebhookFault
}

/** The emulator clock: real time plus an offset you control. It keeps ticking in real time. */
export interface EmulatorClock {
  /** Current emulator time. */
  now(): Date
  /** Move the clock by `ms` milliseconds (negative goes back). */
  advance(ms: number): void
  /**
   * Make `now()` return `date` (and tick on from there). Throws TypeError, and keeps the clock, for
   * an invalid date or one outside years 0000–9999 (the same bound holds for `advance`).
   */
  set(date: Date): void
}

/** A running OneRoute emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  readonly url: string
  /** The API key the send endpoint accepts. */
  readonly apiKey: string
  /**
   * Record an inbound WhatsApp message from customer `from` to business `to` at `at` (default:
   * emulator now), opening the 24 h window; with a webhook receiver, post it a signed `newMessage`.
   */
  receiveInbound(input: InboundMessage): void
  /** Every accepted session message, in order. */
  sent(): ReadonlyArray<SentMessage>
  /**
   * Every template message accepted, one entry per recipient that got `"success"`, in order.
   *
   * @since 0.2.0
   */
  sentTemplates(): ReadonlyArray<SentTemplate>
  /**
   * Register (or replace) template `name` on connected channel `channel`, with the number of
   * parameters (and buttons, default 0) a message must give it. Throws TypeError on bad input.
   * Every channel starts with the default templates; `reset()` restores them.
   *
   * @since 0.2.0
   */
  registerTemplate(input: {
    readonly channel: string
    readonly name: string
    readonly parameters: number
    readonly buttons?: number
  }): RegisteredTemplate
  /**
   * Every registered template, channel by channel.
   *
   * @since 0.2.0
   */
  templates(): ReadonlyArray<RegisteredTemplate>
  /**
   * Queue a fault for the next request(s) to the send endpoints (session, template, campaign). Throws TypeError on an invalid
   * fault, and `EmulatorLimitError` when 100 faults already wait (one fault with `times: n` is one).
   */
  inject(fault: Fault): void
  /**
   * Every campaign accepted (201), in order, with each message's status.
   *
   * @since 0.4.0
   */
  campaigns(): ReadonlyArray<Campaign>
  /**
   * Deliver every pending campaign now, due or not; returns the campaigns delivered.
   *
   * @since 0.4.0
   */
  deliverCampaigns(): ReadonlyArray<Campaign>
  /**
   * Set the webhook receiver, or remove it with `null`. Throws TypeError on bad input.
   *
   * @since 0.4.0
   */
  configureWebhook(webhook: WebhookOptions | null): void
  /**
   * The webhook receiver in use (without its secret), if any.
   *
   * @since 0.4.0
   */
  webhook(): WebhookConfig | undefined
  /**
   * Queue a delivery fault for the next webhook event(s). Throws TypeError on an invalid fault,
   * `EmulatorLimitError` when 100 wait.
   *
   * @since 0.4.0
   */
  injectWebhookFault(fault: WebhookFault): void
  /**
   * Every webhook delivery attempt so far, in order.
   *
   * @since 0.4.0
   */
  webhookDeliveries(): ReadonlyArray<WebhookDelivery>
  /**
   * Send any held (reordered) event, wait until every event is delivered or given up, and return
   * every attempt.
   *
   * @since 0.4.0
   */
  flushWebhooks(): Promise<ReadonlyArray<WebhookDelivery>>
  /** The emulator clock used for the 24 h window and timestamps. */
  readonly clock: EmulatorClock
  /**
   * Clear sent messages and templates, campaigns, faults (webhook faults too), inbound windows,
   * webhook deliveries (stopping those in flight) and the request count; restore the default
   * templates; release hanging requests; clock back to real time. The webhook receiver stays.
   */
  reset(): void
  /** Stop the server and destroy open connections (hanging requests included). Idempotent. */
  close(): Promise<void>
  /** Number of requests to the send endpoints (session, template, campaign; CORS preflights excluded), since start or the last `reset()`. */
  requests(): number
}

/** Start an emulator listening on `host:port` (default `127.0.0.1`, a free port). */
export const startEmulator: (options?: EmulatorOptions) => Promise<Emulator> = internal.startEmulator
