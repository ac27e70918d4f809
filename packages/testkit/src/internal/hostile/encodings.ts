/**
 * The written forms of an API key: what the hostile OneRoute echoes, and what the hostile suite
 * searches every rendering for.
 */

/** The forms a hostile server echoes the key in. */
export const ECHO_ENCODINGS = [
  "raw",
  "json-escaped",
  "json-unicode",
  "percent",
  "percent-twice",
  "html-entities",
  "base64",
  "base64url",
  "base64-user-key",
  "base64url-user-key",
  "cut-short"
] as const

/** One of {@link ECHO_ENCODINGS}. */
export type EchoEncoding = (typeof ECHO_ENCODINGS)[number]

const base64 = (text: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(text)))
const base64url = (text: string): string => base64(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
const unicodeEscape = (text: string, upper = false): string =>
  [...text]
    .map((char) => {
      const hex = (char.codePointAt(0) ?? 0).toString(16).padStart(4, "0")
      return `\\u${upper ? hex.toUpperCase() : hex}`
    })
    .join("")
const htmlEscape = (text: string, apostrophe = "&#39;"): string =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, apostrophe)
const percentEvery = (text: string, upper: boolean): string =>
  [...new TextEncoder().encode(text)]
    .map((byte) => {
      const hex = byte.toString(16).padStart(2, "0")
      return `%${upper ? hex.toUpperCase() : hex}`
    })
    .join("")

/** The key as a hostile server writes it in one encoding (as text, before any JSON encoding of its own). */
export const encodeKey = (key: string, encoding: EchoEncoding): string => {
  switch (encoding) {
    case "raw":
      return key
    case "json-escaped":
      return JSON.stringify(key).slice(1, -1)
    case "json-unicode":
      return unicodeEscape(key)
    case "percent":
      return encodeURIComponent(key)
    case "percent-twice":
      return encodeURIComponent(encodeURIComponent(key))
    case "html-entities":
      return htmlEscape(key)
    case "base64":
      return base64(key)
    case "base64url":
      return base64url(key)
    case "base64-user-key":
      return base64(`user:${key}`)
    case "base64url-user-key":
      return base64url(`user:${key}`)
    case "cut-short":
      return `${key.slice(0, 12)}…`
  }
}

/**
 * Every form of the key a rendering must not contain, by name: raw, JSON-escaped, `\uXXXX`
 * (either case), percent-encoded once (every character, either case) and twice, HTML-escaped,
 * base64 and base64url (also of `user:key`), and its first 8
 * characters (which every cut-short echo starts with).
 */
export const searchForms = (key: string): ReadonlyArray<readonly [name: string, form: string]> => {
  const forms: Array<readonly [string, string]> = [
    ["raw", key],
    ["json-escaped", JSON.stringify(key).slice(1, -1)],
    ["json-unicode", unicodeEscape(key)],
    ["json-unicode (upper case)", unicodeEscape(key, true)],
    ["percent-encoded", encodeURIComponent(key)],
    ["percent-encoded (every character)", percentEvery(key, true)],
    ["percent-encoded (every character, lower case)", percentEvery(key, false)],
    ["percent-encoded twice", encodeURIComponent(encodeURIComponent(key))],
    ["HTML-escaped", htmlEscape(key)],
    ["HTML-escaped (&#x27;)", htmlEscape(key, "&#x27;")],
    ["HTML-escaped (&apos;)", htmlEscape(key, "&apos;")],
    ["base64", base64(key).replace(/=+$/, "")],
    ["base64url", base64url(key)],
    ["base64 of user:key", base64(`user:${key}`).replace(/=+$/, "")],
    ["base64url of user:key", base64url(`user:${key}`)],
    ["first 8 characters", key.slice(0, 8)]
  ]
  // Deduplicated: a key without special characters has fewer distinct forms.
  const seen = new Set<string>()
  return forms.filter(([, form]) => form.length > 0 && !seen.has(form) && seen.add(form) !== undefined)
}

/** The names of the forms of `key` that `text` contains. */
export const formsIn = (text: string, forms: ReadonlyArray<readonly [string, string]>): ReadonlyArray<string> =>
  forms.filter(([, form]) => text.includes(form)).map(([name]) => name)
