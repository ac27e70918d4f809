/**
 * The one scrubber: removes the API key from everything the SDK shows that came from a server.
 */

const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&")

/** `[0-9a-fA-F]`-style classes that match one hex digit in either case. */
const hexPattern = (code: number, width: number) =>
  [...code.toString(16).padStart(width, "0")]
    .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
    .join("")

const JSON_SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\\\"',
  "\\": "\\\\\\\\",
  "/": "\\\\/",
  "\b": "\\\\b",
  "\f": "\\\\f",
  "\n": "\\\\n",
  "\r": "\\\\r",
  "\t": "\\\\t"
}

/** Removes a secret from text the SDK shows; `margin` is the longest written form of the secret. */
export interface Scrubber {
  readonly scrub: (text: string) => string
  readonly margin: number
}

export const noScrubber: Scrubber = { scrub: (text) => text, margin: 0 }

/**
 * Replaces `secret` wherever it appears in text the SDK shows (error fields, and so logs, spans
 * and a relay's answers), also when characters are written as JSON escapes (`\u002d`, `\/`)
 * or percent-encoded (`%2D`): a body excerpt is shown as the server wrote it, escapes and all.
 */
export const makeScrubber = (secret: string | undefined): Scrubber => {
  if (secret === undefined || secret === "") return noScrubber
  const pattern = new RegExp(
    [...secret]
      .map((char) => {
        const code = char.charCodeAt(0)
        const forms = [escapeRegExp(char)]
        if (char.length === 1) forms.push(`\\\\u${hexPattern(code, 4)}`)
        const short = JSON_SHORT_ESCAPES[char]
        if (short !== undefined) forms.push(short)
        if (code < 0x80) forms.push(`%${hexPattern(code, 2)}`)
        return forms.length === 1 ? forms[0] : `(?:${forms.join("|")})`
      })
      .join(""),
    "g"
  )
  // Each UTF-16 unit written as a 6-character `\uXXXX` escape at most.
  return { scrub: (text) => text.replace(pattern, "[redacted]"), margin: secret.length * 6 }
}
