/**
 * The scrubber on its own: every written form of the key is removed (properties over random keys
 * and texts), nothing else changes, and a hostile key or text costs linear work.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeScrubber, noScrubber } from "../src/internal/scrub.js"

const KEY = "sk-Ab+Cd/Ef_9"
const scrubber = makeScrubber(KEY)
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64")
const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url")

describe("each form of the key, one by one", () => {
  it.each([
    ["raw", `key=${KEY}&x=1`, "key=[redacted]&x=1"],
    ["JSON-escaped", `"key":"sk\\u002DAb+Cd\\/Ef_9"`, `"key":"[redacted]"`],
    [
      "every character a JSON escape",
      [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
      "[redacted]"
    ],
    ["percent-encoded", `?k=${encodeURIComponent(KEY)}`, "?k=[redacted]"],
    ["percent-encoded twice", `?k=${encodeURIComponent(encodeURIComponent(KEY))}`, "?k=[redacted]"],
    ["lower-case percent twice", "?k=sk-Ab%252bCd%252fEf_9", "?k=[redacted]"],
    ["JSON-escaped percent", "sk-Ab\\u00252BCd\\u00252FEf_9", "[redacted]"],
    ["HTML numeric entities", "<b>sk-Ab&#43;Cd&#x2F;Ef_9</b>", "<b>[redacted]</b>"],
    ["HTML named entity twice", "sk&amp;#45;Ab+Cd/Ef_9", "[redacted]"],
    ["mixed kinds in one occurrence", "\\u0073k%2DAb&#43;Cd\\/Ef_9", "[redacted]"],
    ["base64, no prefix (its last character holds 2 bits of the key)", `Basic ${b64(KEY)}`, "Basic [redacted]Q=="],
    ["base64 of user:key", `Basic ${b64(`user:${KEY}`)}`, "Basic dXNlcjp[redacted]"],
    ["base64 of us:key", `Basic ${b64(`us:${KEY}`)}`, "Basic dXM6[redacted]Q=="],
    ["base64url of u:key", `t=${b64url(`u:${KEY}`)}`, "t=dTp[redacted]"],
    ["cut short by the server", "echo: sk-Ab+Cd/E…", "echo: [redacted]…"],
    ["twice, side by side", `${KEY}${KEY}`, "[redacted][redacted]"]
  ])("%s", (_, text, expected) => {
    expect(scrubber.scrub(text)).toBe(expected)
  })

  it("keeps what is not the key: fewer than 8 leading characters, other text, a short key's base64", () => {
    expect(scrubber.scrub("sk-Ab+C and Ef_9 and sk-Ab")).toBe("sk-Ab+C and Ef_9 and sk-Ab")
    expect(makeScrubber("abc").scrub(`abc ${b64("abc")} ab`)).toBe(`[redacted] ${b64("abc")} ab`)
  })

  it("a key with HTML's and JSON's own characters", () => {
    const key = `a&b<c>"d'\\e/%41`
    const scrub = makeScrubber(key).scrub
    expect(scrub("a&amp;b&lt;c&gt;&quot;d&apos;\\e/%41")).toBe("[redacted]")
    expect(scrub(JSON.stringify({ k: key }))).toBe('{"k":"[redacted]"}')
    expect(scrub(`<i title="${"a&amp;b&lt;c&gt;&#34;d&#x27;\\e/%41"}">`)).toBe('<i title="[redacted]">')
    expect(scrub(encodeURIComponent(key))).toBe("[redacted]")
  })

  it("noScrubber and an empty key change nothing", () => {
    expect(noScrubber.scrub(KEY)).toBe(KEY)
    expect(makeScrubber("").scrub(KEY)).toBe(KEY)
    expect(makeScrubber(undefined)).toBe(noScrubber)
  })
})

// ---- Random keys, written in random forms, in random text ----

/** A deterministic stream of choices from fast-check's seed: `pick(n)` is in `[0, n)`. */
const chooser = (seed: number) => {
  let state = seed >>> 0
  return (n: number) => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) % n) as number
  }
}
type Pick = ReturnType<typeof chooser>

const hex = (code: number, width: number, upper: boolean) => {
  const digits = code.toString(16).padStart(width, "0")
  return upper ? digits.toUpperCase() : digits
}
const PRINTABLE = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i))
const LETTERS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"]
const SPECIAL = [..."\\%&<>\"'/+=-"]

const keyArbitrary = (minLength: number) =>
  fc
    .array(
      fc.oneof(
        { arbitrary: fc.constantFrom(...SPECIAL), weight: 3 },
        { arbitrary: fc.constantFrom(...LETTERS), weight: 3 },
        { arbitrary: fc.constantFrom(...PRINTABLE), weight: 1 }
      ),
      { minLength, maxLength: 40 }
    )
    .map((chars) => chars.join(""))

const NAMED: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" }

// One character written as an escape of each kind, in any of the ways a writer may choose.
const jsonEscape = (c: string, pick: Pick) => {
  const u = `\\u${hex(c.charCodeAt(0), 4, pick(2) === 1)}`
  return '"\\/'.includes(c) && pick(2) === 1 ? `\\${c}` : u
}
const percentEscape = (c: string, pick: Pick) => `%${hex(c.charCodeAt(0), 2, pick(2) === 1)}`
const htmlEscape = (c: string, pick: Pick) => {
  const named = NAMED[c]
  if (named !== undefined && pick(2) === 1) return named
  const code = c.charCodeAt(0)
  return pick(2) === 1
    ? `&#${String(code).padStart(1 + pick(5), "0")};`
    : `&#${pick(2) === 1 ? "x" : "X"}${hex(code, 1 + pick(4), pick(2) === 1)};`
}

/** Each character raw or escaped, except those a writer must escape (JSON's `"` and `\`, `%`, `&`). */
const MIXES = {
  json: (text: string, pick: Pick) =>
    [...text].map((c) => ('"\\'.includes(c) || pick(2) === 1 ? jsonEscape(c, pick) : c)),
  percent: (text: string, pick: Pick) =>
    [...text].map((c) => (c === "%" || pick(2) === 1 ? percentEscape(c, pick) : c)),
  html: (text: string, pick: Pick) => [...text].map((c) => (c === "&" || pick(3) > 0 ? htmlEscape(c, pick) : c)),
  // Escapes of all three kinds in one occurrence; the characters that start an escape never raw.
  any: (text: string, pick: Pick) =>
    [...text].map((c) =>
      "\\%&".includes(c) || pick(4) > 0 ? [jsonEscape, percentEscape, htmlEscape][pick(3)]!(c, pick) : c
    )
} as const
type Mix = keyof typeof MIXES
const MIX_NAMES = Object.keys(MIXES) as Array<Mix>
const mixed = (mix: Mix, text: string, pick: Pick) => MIXES[mix](text, pick).join("")

type Form =
  | { readonly kind: "raw" }
  | { readonly kind: "once"; readonly mix: Mix }
  | { readonly kind: "twice"; readonly first: Mix; readonly second: Mix }
  | { readonly kind: "base64"; readonly url: boolean; readonly before: string; readonly after: string }
  | { readonly kind: "cut"; readonly keep: number; readonly mix: Mix | undefined }

const formArbitrary: fc.Arbitrary<Form> = fc.oneof(
  fc.constant({ kind: "raw" as const }),
  fc.record({ kind: fc.constant("once" as const), mix: fc.constantFrom(...MIX_NAMES) }),
  fc.record({
    kind: fc.constant("twice" as const),
    first: fc.constantFrom(...MIX_NAMES),
    second: fc.constantFrom(...MIX_NAMES)
  }),
  fc.record({
    kind: fc.constant("base64" as const),
    url: fc.boolean(),
    before: fc.string({ maxLength: 5 }),
    after: fc.string({ maxLength: 5 })
  }),
  fc.record({
    kind: fc.constant("cut" as const),
    keep: fc.nat(),
    mix: fc.option(fc.constantFrom(...MIX_NAMES), { nil: undefined })
  })
)

const written = (key: string, form: Form, pick: Pick): string => {
  switch (form.kind) {
    case "raw":
      return key
    case "once":
      return mixed(form.mix, key, pick)
    case "twice":
      return mixed(form.second, mixed(form.first, key, pick), pick)
    case "base64": {
      const encoded = form.before + key + form.after
      return form.url ? b64url(encoded) : b64(encoded)
    }
    case "cut": {
      // The server kept at least the first 8 characters, and not all of them.
      const cut = key.slice(0, 8 + (form.keep % (key.length - 8)))
      return form.mix === undefined ? cut : mixed(form.mix, cut, pick)
    }
  }
}

/** Text around the key: anything, escape fragments included. */
const FILLER = [...PRINTABLE, " ", "\\u00", "%2", "&#", "&amp", "\\", "%", "&", "é", "\n"]
const fillerArbitrary = fc.array(fc.constantFrom(...FILLER), { maxLength: 30 }).map((parts) => parts.join(""))
/** Between filler and key: characters no escape continues with (a filler ending in `%4` would take the key's `1`). */
const separatorArbitrary = fc.constantFrom(" ", ",", "(", ")", "|", ":", "\n")

// Independent decoders, written the obvious way, to read what the scrubber left.
const JSON_SHORT: Readonly<Record<string, string>> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" }
const HTML_NAMES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }
const JSON_ESCAPE = String.raw`\\u[0-9a-fA-F]{4}|\\["\\/bfnrt]`
const PERCENT_ESCAPE = "%[0-9a-fA-F]{2}"
const HTML_ESCAPE = "&(?:amp|lt|gt|quot|apos);|&#[0-9]{1,7};|&#[xX][0-9a-fA-F]{1,6};"
const unescapeOne = (match: string) => {
  if (match.startsWith("%")) return String.fromCharCode(Number.parseInt(match.slice(1), 16))
  if (match.startsWith("\\u")) return String.fromCharCode(Number.parseInt(match.slice(2), 16))
  if (match.startsWith("\\")) return JSON_SHORT[match[1]!] ?? match[1]!
  if (!match.startsWith("&#")) return HTML_NAMES[match.slice(1, -1)]!
  const point = /^&#[xX]/.test(match)
    ? Number.parseInt(match.slice(3, -1), 16)
    : Number.parseInt(match.slice(2, -1), 10)
  return point <= 0x10ffff ? String.fromCodePoint(point) : match
}
const decoder = (source: string) => (text: string) => text.replace(new RegExp(source, "g"), unescapeOne)
const DECODERS = [JSON_ESCAPE, PERCENT_ESCAPE, HTML_ESCAPE, [JSON_ESCAPE, PERCENT_ESCAPE, HTML_ESCAPE].join("|")].map(
  decoder
)

/** `text` as is, through each decoder once, and through each pair in order. */
const decodings = (text: string): string[] => {
  const once = DECODERS.map((decode) => decode(text))
  return [text, ...once, ...once.flatMap((first) => DECODERS.map((decode) => decode(first)))]
}

/** Every decoding, and the base64 (either alphabet) of each at all four character offsets. */
const readings = (text: string): string[] => {
  const plain = decodings(text)
  const base64 = plain.flatMap((reading) =>
    (reading.match(/[A-Za-z0-9+/=_-]+/g) ?? []).flatMap((run) =>
      [0, 1, 2, 3].map((offset) => {
        const chars = run.slice(offset).replaceAll("-", "+").replaceAll("_", "/").replaceAll("=", "")
        return Buffer.from(chars.slice(0, chars.length - (chars.length % 4)), "base64").toString("latin1")
      })
    )
  )
  return [...plain, ...base64]
}

// Each property runs synchronously in the worker; at 500 runs one took 20 s on a loaded CI machine
// and starved vitest's own RPC. 150 runs keep every form covered (the generators pick among them).
const RUNS = { seed: 20261206, numRuns: 150 } as const

describe("properties over random keys, forms and texts", () => {
  it("no reading of what is left holds the key or its first 8 characters", () => {
    fc.assert(
      fc.property(
        keyArbitrary(9),
        formArbitrary,
        fc.integer(),
        fillerArbitrary,
        fillerArbitrary,
        separatorArbitrary,
        separatorArbitrary,
        (key, form, seed, before, after, open, close) => {
          const text = before + open + written(key, form, chooser(seed)) + close + after
          const left = makeScrubber(key).scrub(text)
          for (const reading of readings(left)) {
            expect(reading).not.toContain(key.slice(0, 8))
          }
          // The marker's own brackets in a key could meet it in a second pass.
          if (!/[[\]]/.test(key)) expect(makeScrubber(key).scrub(left)).toBe(left)
        }
      ),
      RUNS
    )
  })

  it("short keys (1 to 8 characters) in every form but base64 and cut", () => {
    fc.assert(
      fc.property(
        keyArbitrary(1).map((key) => key.slice(0, 8)),
        formArbitrary.filter((form) => form.kind !== "base64" && form.kind !== "cut"),
        fc.integer(),
        fillerArbitrary,
        fillerArbitrary,
        separatorArbitrary,
        (key, form, seed, before, after, separator) => {
          const text = before + separator + written(key, form, chooser(seed)) + separator + after
          const left = makeScrubber(key).scrub(text)
          // A short key may be a part of the marker itself.
          for (const reading of decodings(left)) expect(reading.replaceAll("[redacted]", "")).not.toContain(key)
        }
      ),
      RUNS
    )
  })

  it("a text cut as callers cut it (scrub length + margin, keep length) keeps no start of the key", () => {
    fc.assert(
      fc.property(
        keyArbitrary(9),
        formArbitrary,
        fc.integer(),
        fillerArbitrary,
        fc.nat(),
        (key, form, seed, before, at) => {
          const text = `${before} ${written(key, form, chooser(seed))} tail`
          const { scrub, margin } = makeScrubber(key)
          const length = at % text.length
          const shown = scrub(text.slice(0, length + margin)).slice(0, length)
          for (const reading of readings(shown)) expect(reading).not.toContain(key.slice(0, 8))
        }
      ),
      RUNS
    )
  })

  it("a text without the key comes back unchanged, the same string", () => {
    fc.assert(
      fc.property(keyArbitrary(8), fc.array(fc.constantFrom(...FILLER), { maxLength: 200 }), (key, parts) => {
        const text = parts.join("")
        expect(makeScrubber(key).scrub(text)).toBe(text)
      }),
      RUNS
    )
  })
})

describe("hostile keys and texts cost linear work", () => {
  // 256 KiB: an exponential or quadratic scrubber never finishes it; a linear one takes milliseconds.
  const MiB = 1 << 18
  /** At least 256 KiB of whole copies of `unit`. */
  const fill = (unit: string) => unit.repeat(Math.ceil(MiB / unit.length))
  /** Equal strings; on a difference, only where it starts (a 256 KiB diff helps nobody). */
  const expectSame = (actual: string, expected: string) => {
    let at = 0
    while (at < Math.min(actual.length, expected.length) && actual[at] === expected[at]) at++
    expect({ at, actual: actual.slice(at, at + 40), length: actual.length }).toEqual({
      at,
      actual: expected.slice(at, at + 40),
      length: expected.length
    })
  }

  // The old regular expression took 21 s on the first of these (24 backslashes), ×3–4 per 2 more.
  it.each([24, 32, 40])("a key of %i backslashes against 256 KiB of backslash runs", (count) => {
    const { scrub } = makeScrubber("\\".repeat(count))
    // Each run holds the key (or at least its first 8 characters) raw, JSON-escaped or percent-encoded.
    const raw = fill(`${"\\".repeat(2 * count - 1)}x`)
    expectSame(scrub(raw), raw.replace(/\\+/g, "[redacted]"))
    const json = fill(`${"\\u005c".repeat(count - 1)}x`)
    expectSame(scrub(json), json.replace(/(\\u005c)+/g, "[redacted]"))
    const percent = fill(`${"%5C".repeat(count - 1)}x`)
    expectSame(scrub(percent), percent.replace(/(%5C)+/g, "[redacted]"))
    // Fewer than 8 in a row: nothing to remove, the text is returned as it came.
    const sparse = fill(`${"\\".repeat(7)}x`)
    expectSame(scrub(sparse), sparse)
  })

  it("a key of \\u runs against 256 KiB of escapes of every kind", () => {
    const { scrub } = makeScrubber("\\u".repeat(20))
    const left = scrub(fill("\\u\\u005c\\u0075%5Cu%255C%2575&#92;u&amp;#92;\\\\u"))
    for (const reading of readings(left.slice(0, 4096))) expect(reading).not.toContain("\\u".repeat(4))
    // Fewer than the key's first 8 characters in a row: the text is returned as it came.
    const sparse = fill("\\u\\u\\ux")
    expectSame(scrub(sparse), sparse)
  })
})
