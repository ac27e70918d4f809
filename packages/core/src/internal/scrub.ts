/**
 * The one scrubber: removes the API key from everything the SDK shows that came from a server
 * (error fields, and so logs, spans and a relay's answers), in every form a server may echo it:
 *
 * - raw, and cut short: any run of the key's first `min(L, 8)` or more characters;
 * - JSON escapes (`\u002d` in either case, `\/`, `\\`, `\"`, `\n`, ...), percent-encoding (`%2D`
 *   in either case, UTF-8 for non-ASCII), HTML entities (`&amp; &lt; &gt; &quot; &apos;`,
 *   `&#39;`, `&#x27;`): once, or twice in any order (`%2541`, `\u002541`, `&amp;lt;`), each
 *   character raw or escaped independently (a key holding what reads as an escape, a raw `%41`,
 *   is found when the escapes around it are of the other kinds);
 * - base64 and base64url of the key's UTF-8 bytes, padded or not, at any of the three byte
 *   alignments (the key inside `Basic base64(user:key)`), for keys of 6 bytes or more.
 *
 * How: the text is decoded into at most 21 views (the text itself, then each of four decoders,
 * JSON, percent, HTML and all three at once, applied once and twice), each with a map back to the
 * original positions; the key and its base64 forms are searched in every view and the original
 * ranges replaced. Work is linear in the text: O(V · (n + P)) for n characters, V ≤ 21 views and
 * patterns of P characters in all. Nothing built from the key is a regular expression.
 */

const REDACTED = "[redacted]"

/** A key shorter than this is redacted whole; a longer one from its first `CUT_SHORT` characters on. */
const CUT_SHORT = 8

/** Base64 forms are searched only for keys of this many bytes or more: shorter ones are ordinary words. */
const BASE64_LEAST_BYTES = 6

/** The longest escape decoded, `&#x10FFFF;` or `&#1114111;`: no character is written in more, per level. */
const LONGEST_ESCAPE = 10

/** Removes a secret from text the SDK shows; `margin` is the longest written form of the secret. */
export interface Scrubber {
  readonly scrub: (text: string) => string
  readonly margin: number
  /**
   * Whether results (success payloads) are scrubbed too: only for a key of at least
   * {@link MIN_RESULT_SCRUBBED_LENGTH} characters. A shorter one (never a real key; tests use `"k"`)
   * occurs in ordinary text, and scrubbing it would corrupt message ids.
   */
  readonly scrubsResults: boolean
}

/** The shortest key scrubbed from results; error fields are scrubbed of any key. */
export const MIN_RESULT_SCRUBBED_LENGTH = 8

export const noScrubber: Scrubber = { scrub: (text) => text, margin: 0, scrubsResults: false }

const JSON_ESCAPES = 1
const PERCENT_ESCAPES = 2
const HTML_ESCAPES = 4
const ALL_ESCAPES = JSON_ESCAPES | PERCENT_ESCAPES | HTML_ESCAPES

/**
 * Each decoder alone (a key holding a raw `%41` or `\n` is decoded right only by the others), and
 * all at once (one occurrence written with escapes of several kinds).
 */
const DECODERS = [JSON_ESCAPES, PERCENT_ESCAPES, HTML_ESCAPES, ALL_ESCAPES]

/** A decoded text and, for each of its characters, the range of the original text it came from. */
interface View {
  readonly text: string
  /** `undefined` for the original text itself (character `i` is `[i, i + 1)`). */
  readonly from: Int32Array | undefined
  readonly to: Int32Array | undefined
}

/** An escape found: its code point and length packed as `point * 16 + length` (length ≤ 12). */
const NONE = -1
const packed = (point: number, length: number) => point * 16 + length

const hexDigit = (code: number) => {
  if (code >= 48 && code <= 57) return code - 48
  const lower = code | 32
  return lower >= 97 && lower <= 102 ? lower - 87 : -1
}

/** The value of exactly `count` hex digits at `at`, or -1. */
const hexAt = (text: string, at: number, count: number) => {
  let value = 0
  for (let k = 0; k < count; k++) {
    const digit = hexDigit(text.charCodeAt(at + k))
    if (digit < 0) return -1
    value = value * 16 + digit
  }
  return value
}

const JSON_SHORT = '"\\/bfnrt'
const JSON_SHORT_CODES = [0x22, 0x5c, 0x2f, 0x08, 0x0c, 0x0a, 0x0d, 0x09]

/** `\uXXXX` or a short escape at `at` (a backslash). */
const jsonEscape = (text: string, at: number) => {
  const next = text.charAt(at + 1)
  if (next === "u") {
    const code = hexAt(text, at + 2, 4)
    return code < 0 ? NONE : packed(code, 6)
  }
  const short = next === "" ? -1 : JSON_SHORT.indexOf(next)
  return short < 0 ? NONE : packed(JSON_SHORT_CODES[short]!, 2)
}

/** `%XX` at `at`; a valid UTF-8 sequence of 2 to 4 such bytes is one code point, else byte by byte. */
const percentEscape = (text: string, at: number) => {
  const byte = hexAt(text, at + 1, 2)
  if (byte < 0) return NONE
  const more =
    byte >= 0xc2 && byte <= 0xdf ? 1 : byte >= 0xe0 && byte <= 0xef ? 2 : byte >= 0xf0 && byte <= 0xf4 ? 3 : 0
  let point = byte & (0x7f >> (more + 1))
  for (let k = 1; k <= more; k++) {
    const next = text.charCodeAt(at + 3 * k) === 0x25 ? hexAt(text, at + 3 * k + 1, 2) : -1
    if (next < 0x80 || next > 0xbf) return packed(byte, 3)
    point = (point << 6) | (next & 0x3f)
  }
  return more === 0 || point > 0x10ffff ? packed(byte, 3) : packed(point, 3 * (more + 1))
}

const HTML_NAMED: ReadonlyArray<readonly [string, number]> = [
  ["amp;", 0x26],
  ["lt;", 0x3c],
  ["gt;", 0x3e],
  ["quot;", 0x22],
  ["apos;", 0x27]
]

/** A named or numeric entity at `at` (an ampersand); numeric ones with at most 7 digits, 6 in hex. */
const htmlEscape = (text: string, at: number) => {
  if (text.charCodeAt(at + 1) !== 0x23) {
    for (const [name, code] of HTML_NAMED) if (text.startsWith(name, at + 1)) return packed(code, name.length + 1)
    return NONE
  }
  const hex = (text.charCodeAt(at + 2) | 32) === 0x78
  const start = at + (hex ? 3 : 2)
  let point = 0
  let digits = 0
  for (; digits < (hex ? 6 : 7); digits++) {
    const code = text.charCodeAt(start + digits)
    const digit = hex ? hexDigit(code) : code >= 48 && code <= 57 ? code - 48 : -1
    if (digit < 0) break
    point = point * (hex ? 16 : 10) + digit
  }
  const end = start + digits
  return digits > 0 && text.charCodeAt(end) === 0x3b && point <= 0x10ffff ? packed(point, end + 1 - at) : NONE
}

/** The character every escape of a kind starts with. */
const LEADS: ReadonlyArray<readonly [number, string]> = [
  [JSON_ESCAPES, "\\"],
  [PERCENT_ESCAPES, "%"],
  [HTML_ESCAPES, "&"]
]

/** `view` with every escape of the `kinds` decoded, and the kinds it found; `undefined` when none. */
const decode = (view: View, kinds: number): { readonly view: View; readonly found: number } | undefined => {
  const { text } = view
  // A native scan first: most texts hold no escape at all.
  if (!LEADS.some(([kind, lead]) => (kind & kinds) !== 0 && text.includes(lead))) return undefined
  const units = new Uint16Array(text.length)
  const from = new Int32Array(text.length)
  const to = new Int32Array(text.length)
  let length = 0
  let found = 0
  for (let at = 0; at < text.length; ) {
    const code = text.charCodeAt(at)
    const kind =
      (code === 0x5c ? JSON_ESCAPES : code === 0x25 ? PERCENT_ESCAPES : code === 0x26 ? HTML_ESCAPES : 0) & kinds
    const hit =
      kind === JSON_ESCAPES
        ? jsonEscape(text, at)
        : kind === PERCENT_ESCAPES
          ? percentEscape(text, at)
          : kind === HTML_ESCAPES
            ? htmlEscape(text, at)
            : NONE
    const size = hit === NONE ? 1 : hit & 15
    const start = view.from === undefined ? at : view.from[at]!
    const end = view.to === undefined ? at + size : view.to[at + size - 1]!
    const point = hit === NONE ? code : hit >>> 4
    if (point > 0xffff) {
      // Both halves of a surrogate pair stand for the whole escape.
      units[length] = 0xd800 + ((point - 0x10000) >> 10)
      from[length] = start
      to[length++] = end
      units[length] = 0xdc00 + ((point - 0x10000) & 0x3ff)
    } else units[length] = point
    from[length] = start
    to[length++] = end
    if (hit !== NONE) found |= kind
    at += size
  }
  if (found === 0) return undefined
  let decoded = ""
  for (let k = 0; k < length; k += 8192)
    decoded += String.fromCharCode(...units.subarray(k, Math.min(length, k + 8192)))
  return { view: { text: decoded, from: from.subarray(0, length), to: to.subarray(0, length) }, found }
}

/** A character that starts an escape of some decoder (JSON `\\`, percent `%`, HTML `&`). */
const ESCAPE_START = /[\\%&]/

/** Every view worth searching: the text, then each decoder once and twice, skipping repeats. */
const forEachView = (text: string, search: (view: View) => void) => {
  const original: View = { text, from: undefined, to: undefined }
  search(original)
  const decodeAll = (view: View, depth: number) => {
    for (const kinds of DECODERS) {
      const decoded = decode(view, kinds)
      // A view equal to its parent, or all-at-once finding one kind only (the single decoder's view), adds nothing.
      if (decoded === undefined || (kinds === ALL_ESCAPES && (decoded.found & (decoded.found - 1)) === 0)) continue
      search(decoded.view)
      if (depth < 2) decodeAll(decoded.view, depth + 1)
    }
  }
  decodeAll(original, 1)
}

/** A string to find: every run of at least `least` of its first characters counts (all of it when `least` is its length). */
interface Pattern {
  readonly text: string
  readonly least: number
  /** The Z-array: `z[i]` is the longest common prefix of `text` and `text.slice(i)`. */
  readonly z: Int32Array
}

const pattern = (text: string, least: number): Pattern => {
  const z = new Int32Array(text.length)
  z[0] = text.length
  for (let i = 1, left = 0, right = 0; i < text.length; i++) {
    let k = i < right ? Math.min(right - i, z[i - left]!) : 0
    while (i + k < text.length && text.charCodeAt(k) === text.charCodeAt(i + k)) k++
    z[i] = k
    if (i + k > right) {
      left = i
      right = i + k
    }
  }
  return { text, least, z }
}

/**
 * Marks in `ends` (original start → furthest original end) every place of `view` where at least
 * `least` leading characters of the pattern match, as far as they match. The longest common prefix
 * at every position comes from the Z-algorithm: at most one failed comparison per position and one
 * successful one per character, so runs of partial matches (a key of 40 backslashes in a text of
 * backslashes) cost no more than any other text.
 */
const mark = (view: View, { text: wanted, least, z }: Pattern, ends: Int32Array) => {
  const { text } = view
  // A native scan first: most texts hold no part of the key.
  if (!text.includes(wanted.slice(0, least))) return
  for (let i = 0, left = 0, right = 0; i < text.length; i++) {
    let k = i < right ? Math.min(right - i, z[i - left]!) : 0
    if (i + k >= right) {
      while (k < wanted.length && i + k < text.length && text.charCodeAt(i + k) === wanted.charCodeAt(k)) k++
      if (i + k > right) {
        left = i
        right = i + k
      }
    }
    if (k >= least) {
      const start = view.from === undefined ? i : view.from[i]!
      const end = view.to === undefined ? i + k : view.to[i + k - 1]!
      if (end > ends[start]!) ends[start] = end
    }
  }
}

/** `text` with each run of marked ranges replaced; ranges that overlap are one run. */
const redact = (text: string, ends: Int32Array) => {
  let result = ""
  let copied = 0
  for (let i = 0; i < text.length; i++) {
    const end = ends[i]!
    if (end === 0) continue
    if (i >= copied) {
      result += text.slice(copied, i) + REDACTED
      copied = end
    } else if (end > copied) copied = end
  }
  return result + text.slice(copied)
}

const toBase64 = (bytes: Uint8Array) => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * The characters of the key's base64 forms that do not depend on the bytes around it: the key at
 * byte `k` of a 3-byte group starts its own characters at bit `8k`, and its last whole character
 * ends at bit `8(k + B)`. Both alphabets; padding falls outside.
 */
const base64Forms = (bytes: Uint8Array): ReadonlyArray<string> => {
  if (bytes.length < BASE64_LEAST_BYTES) return []
  const forms = new Set<string>()
  for (let k = 0; k < 3; k++) {
    const padded = new Uint8Array(k + bytes.length)
    padded.set(bytes, k)
    const inner = toBase64(padded).slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6))
    forms.add(inner)
    forms.add(inner.replaceAll("+", "-").replaceAll("/", "_"))
  }
  return [...forms]
}

/** Replaces `secret` wherever it appears, in any of the forms listed at the top of this module. */
export const makeScrubber = (secret: string | undefined): Scrubber => {
  if (secret === undefined || secret === "") return noScrubber
  const bytes = new TextEncoder().encode(secret)
  const base64 = base64Forms(bytes)
  const patterns = [
    pattern(secret, Math.min(secret.length, CUT_SHORT)),
    ...base64.map((form) => pattern(form, form.length))
  ]
  const prefixes = patterns.map((wanted) => wanted.text.slice(0, wanted.least))
  const scrub = (text: string) => {
    // The common case, a text with no escape and no start of any form: native scans only.
    if (!ESCAPE_START.test(text) && !prefixes.some((prefix) => text.includes(prefix))) return text
    const ends = new Int32Array(text.length + 1)
    forEachView(text, (view) => {
      for (const wanted of patterns) mark(view, wanted, ends)
    })
    return redact(text, ends)
  }
  // Each character (of the key, or of its base64 form) written with two levels of the longest escape.
  const longest = Math.max(secret.length, 4 * Math.ceil(bytes.length / 3))
  return {
    scrub,
    margin: LONGEST_ESCAPE * LONGEST_ESCAPE * longest,
    scrubsResults: secret.length >= MIN_RESULT_SCRUBBED_LENGTH
  }
}
