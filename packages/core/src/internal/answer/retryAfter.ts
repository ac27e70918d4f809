/**
 * `Retry-After` as RFC 9110 §10.2.3 writes it: `delay-seconds` (`1*DIGIT`) or an HTTP-date in one
 * of its three forms (§5.6.7). Anything else (`-5`, `1.5`, `1, 2`, `foo 2030`) is no header at all,
 * rather than a guess that turns into a zero or a three-year wait.
 */
import * as Duration from "effect/Duration"

const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
const LONG_DAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
const TIME = "\\d{2}:\\d{2}:\\d{2}"
const HTTP_DATE = new RegExp(
  [
    `^${DAY}, \\d{2} ${MONTH} \\d{4} ${TIME} GMT$`, // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    `^${LONG_DAY}, \\d{2}-${MONTH}-\\d{2} ${TIME} GMT$`, // obsolete RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
    `^${DAY} ${MONTH} [ \\d]\\d ${TIME} \\d{4}$` // obsolete asctime: Sun Nov  6 08:49:37 1994
  ].join("|")
)

/** How long `Retry-After` asks to wait from `now`, or `undefined` when absent or not RFC 9110's grammar. */
export const parseRetryAfter = (header: string | undefined, now: number): Duration.Duration | undefined => {
  if (header === undefined) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Duration.seconds(Number(text))
  if (!HTTP_DATE.test(text)) return undefined
  // asctime has no zone: it is GMT by definition.
  const at = Date.parse(/GMT$/.test(text) ? text : `${text} GMT`)
  return Number.isNaN(at) ? undefined : Duration.millis(Math.max(0, at - now))
}
