/**
 * The SDK's limits and the checks both the schemas and the fast validators use: one copy, so
 * the two cannot disagree on a bound. Plain code: no `effect/Schema`.
 */

/**
 * WhatsApp's limit for a text body, in UTF-16 code units (JavaScript string length).
 *
 * @since 0.1.0
 */
export const MAX_MESSAGE_LENGTH = 4096
/**
 * The longest template name, in characters (WhatsApp's own limit for template names).
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_NAME_LENGTH = 512
/**
 * The longest parameter or button text, in UTF-16 code units (WhatsApp's limit for a template's
 * body text, which a parameter cannot exceed).
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_TEXT_LENGTH = 1024
/**
 * The most parameters one template message carries.
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_PARAMETERS = 100
/**
 * The most buttons one template message carries (WhatsApp allows up to 10).
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_BUTTONS = 10
/**
 * The largest `metadata`, in bytes of its UTF-8 JSON.
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_METADATA_BYTES = 4096
/**
 * The most recipients (`messages`) in one `sendTemplateMessage` request. OneRoute documents no
 * bound; the SDK chooses 100 so a request and its answer stay small. Send more in several requests
 * (or through OneRoute's campaign API).
 *
 * @since 0.2.0
 */
export const MAX_TEMPLATE_RECIPIENTS = 100
/**
 * The longest `serverStatus` kept, in characters.
 *
 * @since 0.3.0
 */
export const MAX_SERVER_STATUS_LENGTH = 100
/**
 * The longest `detail` kept, in characters.
 *
 * @since 0.3.0
 */
export const MAX_DETAIL_LENGTH = 500

const SEPARATORS = /[\s\-.()[\]]/g
/** A WhatsApp number after normalisation: the country code and 8 to 15 digits, not starting with 0. */
export const E164_DIGITS = /^[1-9][0-9]{7,14}$/

/** Strips separators, then one leading `+` or `00`. */
export const normaliseNumber = (input: string): string => {
  const compact = input.replace(SEPARATORS, "")
  if (compact.startsWith("+")) return compact.slice(1)
  if (compact.startsWith("00")) return compact.slice(2)
  return compact
}

/** What is wrong with `value` as JSON (first problem only), walking at most `budget` characters of strings. */
export const jsonProblem = (value: unknown, depth: number, budget: { chars: number }): string | undefined => {
  if (depth > 32) return "metadata must not nest deeper than 32 levels"
  if (value === null || typeof value === "boolean") return undefined
  if (typeof value === "number") return Number.isFinite(value) ? undefined : "metadata numbers must be finite"
  if (typeof value === "string") {
    budget.chars -= value.length
    return undefined
  }
  if (typeof value !== "object") return `metadata must hold JSON values only, got a ${typeof value}`
  const prototype: unknown = Object.getPrototypeOf(value)
  const isArray = Array.isArray(value)
  if (!isArray && prototype !== Object.prototype && prototype !== null) {
    return "metadata must hold plain objects, arrays, strings, numbers, booleans and null only"
  }
  for (const [key, field] of Object.entries(value)) {
    budget.chars -= key.length
    // A string is at least one UTF-8 byte per UTF-16 unit: past the limit already, stop walking.
    if (budget.chars < 0) return undefined
    const problem = jsonProblem(field, depth + 1, budget)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** The byte length of `text` as UTF-8. */
export const utf8Length = (text: string): number => new TextEncoder().encode(text).byteLength

/** Why `metadata` is not usable template metadata (a JSON object within the byte limit), or `undefined`. */
export const metadataProblem = (metadata: object): string | undefined => {
  const budget = { chars: MAX_TEMPLATE_METADATA_BYTES }
  const problem = jsonProblem(metadata, 0, budget)
  if (problem !== undefined) return problem
  const bytes = budget.chars < 0 ? Number.POSITIVE_INFINITY : utf8Length(JSON.stringify(metadata))
  return bytes <= MAX_TEMPLATE_METADATA_BYTES
    ? undefined
    : `metadata must be at most ${MAX_TEMPLATE_METADATA_BYTES} bytes of JSON${Number.isFinite(bytes) ? `, got ${bytes}` : ""}`
}
