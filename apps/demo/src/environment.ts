import { createClient, Endpoint, type OneRouteClient } from "@oneroute/node"
import { startEmulator } from "@oneroute/testkit"

/** A template the console offers when a window is closed: its name and how many fields it takes. */
export interface TemplateInfo {
  readonly name: string
  /** How many text parameters it takes, in placeholder order. */
  readonly parameters: number
  /** How many button texts it takes (an authentication template's code). */
  readonly buttons: number
}

/** Where the console receives OneRoute's signed webhooks. */
export interface WebhookSource {
  /** The secret deliveries are signed with. Kept here only; never printed. */
  readonly secret: string
  /** On the emulator: posts its webhooks to `url` from now on. On OneRoute: set in its dashboard. */
  readonly deliverTo: (url: string) => void
}

/** Where the demo sends: the real OneRoute when ONEROUTE_API_KEY is set, else an embedded emulator. */
export interface Target {
  readonly label: string
  readonly apiKey: string
  readonly baseUrl: string | undefined
  /** The business number the demo sends from by default (ONEROUTE_DEMO_FROM on OneRoute). */
  readonly from: string | undefined
  /** The customer the no-argument demo writes to (ONEROUTE_DEMO_TO on OneRoute). */
  readonly to: string | undefined
  /** Whether `openWindow` simulates a customer (the emulator) or does nothing (OneRoute). */
  readonly canSimulate: boolean
  /**
   * On the emulator, simulates `customer` writing `text` to `business`, which opens the 24-hour
   * window (and posts a signed webhook when one is configured). On OneRoute it does nothing: there
   * the customer must really have written.
   */
  readonly openWindow: (customer: string, business: string, text?: string) => void
  /** The clock windows run on, in milliseconds since the epoch: the emulator's (which tests move), or this machine's. */
  readonly now: () => number
  /** The templates registered for the business number. */
  readonly templates: () => ReadonlyArray<TemplateInfo>
  /** Where webhooks come from; `undefined` on OneRoute without ONEROUTE_WEBHOOK_SECRET. */
  readonly webhook: WebhookSource | undefined
  readonly close: () => Promise<void>
}

/** An environment variable the demo cannot use; the message says which and how to fix it. */
export class TargetConfigurationError extends Error {}

export const MISSING_DEMO_NUMBERS =
  "With ONEROUTE_API_KEY set, also set ONEROUTE_DEMO_FROM (your business number) and ONEROUTE_DEMO_TO (a customer who wrote to it in the last 24 hours)"

const DEMO_BUSINESS = "2348000000001"
const DEMO_CUSTOMER = "+234 801 234 5678"

/**
 * Both numbers as the SDK normalises them (`+234 801 234 5678` → `2348012345678`), or
 * `undefined` when it would reject either. The session endpoint's own validator answers valid
 * input at once (invalid input later, as a Promise: that is a rejection, left for the send).
 */
export const normalisedPair = (customer: string, business: string) => {
  const checked = Endpoint.registry.sendSessionMessage.validate({ from: business, to: customer, message: "window" })
  if (checked instanceof Promise || checked._tag === "Left") return undefined
  return { customer: checked.right.to, business: checked.right.from }
}

const TEMPLATE_ENTRY = /^([a-z0-9_]{1,512}):(\d{1,3})(?::(\d{1,2}))?$/

/**
 * ONEROUTE_DEMO_TEMPLATES, `order_update:2,otp_code:1:1` (name:parameters[:buttons]): OneRoute
 * documents no way to list a channel's templates, so on OneRoute the console offers these.
 */
export const parseTemplateList = (text: string | undefined): ReadonlyArray<TemplateInfo> =>
  (text ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const match = TEMPLATE_ENTRY.exec(entry)
      if (match === null) {
        throw new TargetConfigurationError(
          `ONEROUTE_DEMO_TEMPLATES: "${entry.slice(0, 64)}" is not name:parameters[:buttons] (for example order_update:2,otp_code:1:1)`
        )
      }
      return { name: match[1]!, parameters: Number(match[2]), buttons: Number(match[3] ?? 0) }
    })

const oneRouteTarget = (env: NodeJS.ProcessEnv, apiKey: string): Target => {
  const templates = parseTemplateList(env.ONEROUTE_DEMO_TEMPLATES)
  const secret = env.ONEROUTE_WEBHOOK_SECRET
  return {
    label: env.ONEROUTE_BASE_URL ?? "OneRoute",
    apiKey,
    baseUrl: env.ONEROUTE_BASE_URL,
    from: env.ONEROUTE_DEMO_FROM || undefined,
    to: env.ONEROUTE_DEMO_TO || undefined,
    canSimulate: false,
    openWindow: () => {},
    now: Date.now,
    templates: () => templates,
    webhook: secret ? { secret, deliverTo: () => {} } : undefined,
    close: async () => {}
  }
}

export const chooseTarget = async (env: NodeJS.ProcessEnv): Promise<Target> => {
  const apiKey = env.ONEROUTE_API_KEY
  if (apiKey !== undefined && apiKey !== "") return oneRouteTarget(env, apiKey)
  // No page may call the emulator's controls (its /__emulator/info shows the key): only this process and tests.
  const emulator = await startEmulator({ allowedOrigins: [] })
  const secret = `whsec_${crypto.randomUUID()}`
  return {
    label: `embedded emulator at ${emulator.url}`,
    apiKey: emulator.apiKey,
    baseUrl: emulator.url,
    from: DEMO_BUSINESS,
    to: DEMO_CUSTOMER,
    canSimulate: true,
    openWindow: (customer, business, text) => {
      const numbers = normalisedPair(customer, business)
      // Numbers the SDK will reject, or a business number without a channel, are left for the send to report.
      if (numbers === undefined || numbers.business !== DEMO_BUSINESS) return
      emulator.receiveInbound({ from: numbers.customer, to: numbers.business, ...(text === undefined ? {} : { text }) })
    },
    now: () => emulator.clock.now().getTime(),
    templates: () =>
      emulator
        .templates()
        .filter((template) => template.channel === DEMO_BUSINESS)
        .map(({ name, parameters, buttons }) => ({ name, parameters, buttons })),
    webhook: {
      secret,
      // The numbers are the emulator's own field (OneRoute's payload has none): the inbox shows who wrote.
      deliverTo: (url) => emulator.configureWebhook({ url, secret, includeNumbers: true })
    },
    close: () => emulator.close()
  }
}

export const clientFor = (target: Target): OneRouteClient =>
  createClient({ apiKey: target.apiKey, ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }) })
