/** Path of the emulated "Send WhatsApp Session Message" endpoint. */
export const SEND_PATH = "/api/public/conversation/text"

/** Prefix of the emulator's own control routes. */
export const CONTROL_PREFIX = "/__emulator/"

/** WhatsApp numbers: digits with country code, no `+`. */
export const NUMBER_PATTERN = /^[1-9][0-9]{7,14}$/

/** Maximum message length, counted in UTF-16 code units (`string.length`). */
export const MAX_MESSAGE_LENGTH = 4096

/** Maximum request body size in bytes (64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024

/** Length of the WhatsApp customer service window. */
export const WINDOW_MS = 24 * 60 * 60 * 1000

/** Channel used when none are configured. */
export const DEFAULT_CHANNEL = { number: "2348000000001", name: "OneRoute Demo" } as const
