/** Path of the emulated "Send WhatsApp Session Message" endpoint. */
export const SEND_PATH = "/api/public/conversation/text"

/** Prefix of the emulator's own control routes. */
export const CONTROL_PREFIX = "/__emulator/"

/** Maximum message length, counted in UTF-16 code units (`string.length`): WhatsApp's, as the SDK states it. */
export { MAX_MESSAGE_LENGTH } from "@oneroute/core"
/** WhatsApp numbers: digits with country code, no `+` (the SDK's own pattern). */
export { WHATSAPP_NUMBER_PATTERN as NUMBER_PATTERN } from "@oneroute/core/adapter"

/** Maximum request body size in bytes (64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024

/** Length of the WhatsApp customer service window. */
export const WINDOW_MS = 24 * 60 * 60 * 1000

/** Channel used when none are configured. */
export const DEFAULT_CHANNEL = { number: "2348000000001", name: "OneRoute Demo" } as const

/** Path of the emulated "Send Template Message" endpoint. */
export const TEMPLATE_PATH = "/api/public/conversation/template"

/** Maximum template request body size in bytes (1 MiB: up to 100 recipients, each with metadata). */
export const MAX_TEMPLATE_BODY_BYTES = 1024 * 1024

/** Most recipients (`messages`) in one template request. */
export const MAX_TEMPLATE_RECIPIENTS = 100

/** Template names: lowercase letters, digits and underscores, at most 512 characters. */
export const TEMPLATE_NAME_PATTERN = /^[a-z0-9_]{1,512}$/

/** Most parameters a registered template may declare. */
export const MAX_TEMPLATE_PARAMETERS = 100

/** Most buttons a registered template may declare. */
export const MAX_TEMPLATE_BUTTONS = 10

/**
 * Templates every channel has at start and after `reset()`: the one in OneRoute's example body
 * (its name as the docs spell it), a greeting without parameters, an order update with two, and
 * an authentication template with a code parameter and a code button.
 */
export const DEFAULT_TEMPLATES: ReadonlyArray<{
  readonly name: string
  readonly parameters: number
  readonly buttons: number
}> = [
  { name: "first_welcome_messsage", parameters: 1, buttons: 0 },
  { name: "hello_world", parameters: 0, buttons: 0 },
  { name: "order_update", parameters: 2, buttons: 0 },
  { name: "otp_code", parameters: 1, buttons: 1 }
]

/** Most faults waiting in the queue at once (one fault with `times: n` is one entry). */
export const MAX_QUEUED_FAULTS = 100

/**
 * Longest `body` of a status fault, in UTF-16 code units: room for a multi-megabyte gateway page
 * from code (tests of clients' read caps); over HTTP the control body limit bounds it first.
 */
export const MAX_FAULT_BODY_LENGTH = 4 * 1024 * 1024

/** Longest header value a fault may carry (`contentType`, a string `retryAfter`). */
export const MAX_FAULT_HEADER_LENGTH = 1024

/** Most templates registered at once, over all channels (the defaults included). */
export const MAX_REGISTERED_TEMPLATES = 10_000

/** Most inbound messages remembered at once, over all customer/business pairs. */
export const MAX_INBOUND_MESSAGES = 100_000

/** Deepest nesting of arrays and objects in a JSON body the emulator reads (controls and send endpoints). */
export const MAX_JSON_DEPTH = 64

/** Most browser origins `allowedOrigins` may list. */
export const MAX_ALLOWED_ORIGINS = 100

/**
 * The range of the emulator clock: years 0000 to 9999 (what an ISO-8601 timestamp with a
 * four-digit year can say). A time outside it is refused before the clock changes.
 */
export const EARLIEST_TIME_MS = Date.parse("0000-01-01T00:00:00.000Z")

/** See {@link EARLIEST_TIME_MS}. */
export const LATEST_TIME_MS = Date.parse("9999-12-31T23:59:59.999Z")

/** Path of the emulated "Send Campaign Message" endpoint. */
export const CAMPAIGN_PATH = "/api/public/whatsapp/campaign"

/** Maximum campaign request body size in bytes (4 MiB: room for the most messages with short metadata). */
export const MAX_CAMPAIGN_BODY_BYTES = 4 * 1024 * 1024

/** Most messages in one campaign request (OneRoute documents no bound; the emulator's choice). */
export const MAX_CAMPAIGN_MESSAGES = 10_000

/** Longest `identifier` of a campaign message, in UTF-16 code units. */
export const MAX_IDENTIFIER_LENGTH = 256

/** Most campaign messages remembered at once, over all campaigns. */
export const MAX_STORED_CAMPAIGN_MESSAGES = 100_000

/** Most characters of campaign messages (their JSON) remembered at once, over all campaigns (64 Mi). */
export const MAX_STORED_CAMPAIGN_CHARS = 64 * 1024 * 1024

/** Emulator time between accepting a campaign and delivering its messages, by default. */
export const DEFAULT_CAMPAIGN_DELAY_MS = 5_000

/** Longest campaign delay an option may set (a day of emulator time). */
export const MAX_CAMPAIGN_DELAY_MS = 24 * 60 * 60 * 1000

/** Header carrying the hex HMAC-SHA512 of a webhook's body (the SDK's receiver reads the same). */
export { WEBHOOK_SIGNATURE_HEADER } from "@oneroute/core"

/** Real time a webhook receiver has to answer one attempt, by default. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000

/** Longest webhook timeout an option may set. */
export const MAX_WEBHOOK_TIMEOUT_MS = 60_000

/** Attempts per webhook delivery (the first and its retries), by default. */
export const DEFAULT_WEBHOOK_ATTEMPTS = 3

/** Most attempts per webhook delivery an option may set. */
export const MAX_WEBHOOK_ATTEMPTS = 10

/** Real time before a failed webhook attempt is retried, times the attempt's number. */
export const WEBHOOK_RETRY_DELAY_MS = 100

/** Longest secret a webhook may be signed with, in UTF-16 code units. */
export const MAX_WEBHOOK_SECRET_LENGTH = 1024

/** Longest webhook URL. */
export const MAX_WEBHOOK_URL_LENGTH = 2048

/** Longest `delay` webhook fault (real time). */
export const MAX_WEBHOOK_DELAY_MS = 60_000

/** Most copies a `duplicate` webhook fault may send. */
export const MAX_WEBHOOK_COPIES = 10

/** Body size of an `oversize` webhook fault, by default (2 MiB: over any sensible receiver limit). */
export const DEFAULT_OVERSIZE_BYTES = 2 * 1024 * 1024

/** Largest body an `oversize` webhook fault may ask for. */
export const MAX_OVERSIZE_BYTES = 16 * 1024 * 1024

/** Most webhook delivery attempts remembered at once (`receiveInbound` refuses past it). */
export const MAX_WEBHOOK_DELIVERIES = 100_000

/** Longest text of an inbound message, in UTF-16 code units. */
export const MAX_INBOUND_TEXT_LENGTH = 4096
