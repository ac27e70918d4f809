/**
 * What the SDK keeps of a server's text: cut to a documented length, the API key scrubbed, and
 * copied so that a kept excerpt never holds a large body alive. Applied by the interpreter to
 * every error field and to every string of every decoded result, so no endpoint can opt out.
 */
import type { Scrubber } from "../scrub.js"

/** The longest string a result keeps from a server (a session message's text is at most 4096). */
export const MAX_KEPT_STRING = 4096

/** A result nested deeper than this is not shown (answers are parsed at most 64 deep). */
const MAX_RESULT_DEPTH = 100

/**
 * A copy of a short string that shares no memory with the string it came from. V8 may make
 * `slice` (and `JSON.parse`) results views into their source, so an error holding a 200-character
 * excerpt could keep a whole multi-megabyte body alive.
 */
export const detach = (text: string): string => (text === "" ? "" : (JSON.parse(JSON.stringify(text)) as string))

/** `text` cut to `length` characters, the last one `…` when something was cut. */
export const cut = (text: string, length: number): string =>
  text.length <= length ? text : `${text.slice(0, length - 1)}…`

/**
 * The first `length` characters of `text` as shown: scrubbed over a window wide enough that a
 * secret crossing the cut is replaced whole (no half key survives the cut), then copied.
 */
export const shown = (text: string, length: number, scrubber: Scrubber): string =>
  detach(scrubber.scrub(text.slice(0, length + scrubber.margin)).slice(0, length))

const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * A decoded result as shown: every string in it (at any depth of plain objects and arrays) cut to
 * {@link MAX_KEPT_STRING} and, when `scrub` is set, scrubbed. Returns `value` itself when nothing
 * changed, so the common answer costs a walk and no copy. Throws past {@link MAX_RESULT_DEPTH}
 * (the interpreter turns that into an `UnexpectedResponseError`).
 */
export const shownResult = <A>(value: A, scrubber: Scrubber | undefined): A => walk(value, scrubber, 0) as A

const walk = (value: unknown, scrubber: Scrubber | undefined, depth: number): unknown => {
  if (typeof value === "string") {
    const scrubbed = scrubber === undefined ? value : scrubber.scrub(value)
    return scrubbed.length > MAX_KEPT_STRING ? detach(cut(scrubbed, MAX_KEPT_STRING)) : scrubbed
  }
  if (typeof value !== "object" || value === null) return value
  if (depth > MAX_RESULT_DEPTH) throw new RangeError("The result nests too deep to be shown")
  if (Array.isArray(value)) {
    let copy: Array<unknown> | undefined
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index]
      const shownItem = walk(item, scrubber, depth + 1)
      if (shownItem !== item) {
        copy ??= value.slice()
        copy[index] = shownItem
      }
    }
    return copy ?? value
  }
  // Dates and other class instances carry no server text of their own.
  if (!isPlainObject(value)) return value
  let copy: Record<string, unknown> | undefined
  for (const key of Object.keys(value)) {
    const field: unknown = (value as Record<string, unknown>)[key]
    const shownField = walk(field, scrubber, depth + 1)
    if (shownField !== field) {
      copy ??= { ...value }
      // A server's `__proto__` field is data: define it, never assign (which would set the prototype).
      Object.defineProperty(copy, key, { value: shownField, enumerable: true, writable: true, configurable: true })
    }
  }
  return copy ?? value
}
