/**
 * Parsing a server's body as JSON with bounded work: the nesting depth is checked in one linear
 * scan before `JSON.parse`, so no decoder, encoder or walker downstream can run out of stack
 * (a 6,000-level `response` made `JSON.stringify` throw a `RangeError` mid-send).
 */

/** The deepest nesting of arrays and objects the SDK reads in an answer. */
export const MAX_JSON_DEPTH = 64

/** Whether `text` has more than `max` opening brackets: native scans, stopping past `max`. */
const opensMoreThan = (text: string, max: number): boolean => {
  let count = 0
  for (const bracket of ["{", "["]) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++count > max) return true
    }
  }
  return false
}

/** Whether `text` nests arrays and objects deeper than `maxDepth` (strings skipped, escapes honoured). */
export const nestsDeeperThan = (text: string, maxDepth: number): boolean => {
  // Depth never exceeds the number of opening brackets: most answers have a handful.
  if (!opensMoreThan(text, maxDepth)) return false
  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (inString) {
      if (code === 0x5c)
        index++ // `\`: the next character is escaped
      else if (code === 0x22) inString = false
    } else if (code === 0x22) inString = true
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > maxDepth) return true
    } else if (code === 0x5d || code === 0x7d) depth--
  }
  return false
}

/** The JSON value of `text`, or `undefined` when it is not JSON or nests deeper than {@link MAX_JSON_DEPTH}. */
export const parseJson = (text: string): unknown => {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
