/**
 * What the hostile suite looks at: every rendering of an error or a result, the strings kept in
 * them (bounded), and an Effect logger and tracer that record what a send logged and traced.
 */
import { inspect } from "node:util"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Logger from "effect/Logger"
import * as Tracer from "effect/Tracer"

/** A rendering: where it came from, and its text. */
export type Rendering = readonly [where: string, text: string]

const safely = (render: () => string): string => {
  try {
    return render()
  } catch (error) {
    return `<rendering threw ${error instanceof Error ? error.name : typeof error}>`
  }
}

/** How a caller may show an error: message, `String`, `JSON.stringify`, `util.inspect`, stack. */
export const errorRenderings = (prefix: string, error: unknown): ReadonlyArray<Rendering> => {
  const object = typeof error === "object" && error !== null ? (error as { message?: unknown; stack?: unknown }) : {}
  return [
    [`${prefix} message`, safely(() => String(object.message ?? ""))],
    [`${prefix} String()`, safely(() => String(error))],
    [`${prefix} JSON.stringify`, safely(() => JSON.stringify(error) ?? "")],
    [`${prefix} util.inspect`, safely(() => inspect(error, { depth: 10 }))],
    [`${prefix} stack`, safely(() => String(object.stack ?? ""))]
  ]
}

/** How a caller may show a result: `JSON.stringify`, `util.inspect`. */
export const resultRenderings = (prefix: string, result: unknown): ReadonlyArray<Rendering> => [
  [`${prefix} JSON.stringify`, safely(() => JSON.stringify(result) ?? "")],
  [`${prefix} util.inspect`, safely(() => inspect(result, { depth: 10 }))]
]

/** A string kept somewhere in a value, longer than allowed. */
export interface Oversize {
  readonly path: string
  readonly length: number
}

/**
 * Every string in `value` (own enumerable fields, and an error's `message`) longer than `limit`,
 * walking at most `maxDepth` levels and `maxNodes` values.
 */
export const oversizeStrings = (value: unknown, limit: number, maxDepth = 20, maxNodes = 10_000): Array<Oversize> => {
  const found: Array<Oversize> = []
  const seen = new Set<unknown>()
  let nodes = 0
  const walk = (current: unknown, path: string, depth: number) => {
    if (++nodes > maxNodes) return
    if (typeof current === "string") {
      if (current.length > limit) found.push({ path, length: current.length })
      return
    }
    if (typeof current !== "object" || current === null || seen.has(current)) return
    seen.add(current)
    if (depth >= maxDepth) {
      found.push({ path: `${path} (nested deeper than ${maxDepth})`, length: 0 })
      return
    }
    if (current instanceof Error) walk(current.message, `${path}.message`, depth + 1)
    for (const key of Object.keys(current)) {
      walk((current as Record<string, unknown>)[key], `${path}.${key}`, depth + 1)
    }
  }
  walk(value, "", 0)
  return found
}

/** A logger that keeps each line as text (message, annotations, spans, cause), at most `max` lines. */
export const recordingLogger = (lines: Array<string>, max = 200): Logger.Logger<unknown, void> =>
  Logger.make(({ logLevel, message, annotations, cause }) => {
    if (lines.length >= max) return
    lines.push(
      safely(() =>
        [
          logLevel.label,
          inspect(message, { depth: 10 }),
          inspect(Object.fromEntries(HashMap.toEntries(annotations)), { depth: 10 }),
          Cause.isEmpty(cause) ? "" : Cause.pretty(cause)
        ].join(" ")
      )
    )
  })

/**
 * A tracer that exports spans (so a send makes its span) and keeps every span it made, at most
 * `max`: Effect's own spans, which record attributes, events and the exit.
 */
export const recordingTracer = (spans: Array<Tracer.Span>, max = 200): Tracer.Tracer => {
  const native = Effect.runSync(Effect.tracer)
  return Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = native.span(name, parent, context, links, startTime, kind, options)
      if (spans.length < max) spans.push(span)
      return span
    },
    context: (f, fiber) => native.context(f, fiber)
  })
}

/** A span as an exporter would see it: name, attributes, events and exit. */
export const spanRendering = (span: Tracer.Span): string =>
  safely(() =>
    inspect(
      {
        name: span.name,
        attributes: Object.fromEntries(span.attributes),
        events: (span as { readonly events?: unknown }).events,
        status: span.status
      },
      { depth: 10 }
    )
  )
