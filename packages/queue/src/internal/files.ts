import { createReadStream } from "node:fs"
import type { Readable } from "node:stream"
import { parse } from "csv-parse"
import type { FileSource } from "../Files.js"

/** The longest line or CSV record read; a longer one is skipped as unreadable. */
export const MAX_RECORD_BYTES = 1024 * 1024

const open = (source: FileSource): Readable => (typeof source === "string" ? createReadStream(source) : source)

/** `a|b|c` → template parameters; an empty cell → none. */
const parametersOf = (cell: string | undefined) =>
  cell === undefined || cell === "" ? [] : cell.split("|").map((text) => ({ type: "text" as const, text }))

const templateOf = (name: string | undefined, parameters: string | undefined) =>
  name === undefined || name === "" ? undefined : { name, parameters: parametersOf(parameters) }

/** A CSV row (by its header's names) as a recipient; empty cells are left out. */
const recipientOfRow = (row: Record<string, string | undefined>): Record<string, unknown> => {
  const template = templateOf(row.template, row.parameters)
  const fallbackTemplate = templateOf(row.fallback_template, row.fallback_parameters)
  return Object.fromEntries(
    Object.entries({
      key: row.key || undefined,
      to: row.to,
      message: row.message || undefined,
      template,
      fallbackTemplate
    }).filter(([, value]) => value !== undefined)
  )
}

export async function* csvRecipients(source: FileSource, onUnreadable: () => void): AsyncGenerator<unknown> {
  const parser = open(source).pipe(
    parse({
      columns: true,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      skip_records_with_error: true
    })
  )
  // csv-parse reports every error of a record (a bad closing quote, then the quote left open at
  // the end): a record is counted once, by its fields' array, which the parser renews per record.
  let lastUnreadable: unknown
  parser.on("skip", () => {
    const record = (parser as unknown as { readonly state?: { readonly record?: unknown } }).state?.record
    if (record !== undefined && record === lastUnreadable) return
    lastUnreadable = record
    onUnreadable()
  })
  for await (const row of parser) yield recipientOfRow(row as Record<string, string | undefined>)
}

export async function* jsonLinesRecipients(source: FileSource, onUnreadable: () => void): AsyncGenerator<unknown> {
  let pending = ""
  // A line past the limit is dropped up to its end, without keeping it.
  let skipping = false
  const lineOf = (line: string): unknown => {
    if (line.trim() === "") return undefined
    try {
      return JSON.parse(line)
    } catch {
      onUnreadable()
      return undefined
    }
  }
  const stream = open(source)
  stream.setEncoding("utf8")
  for await (const chunk of stream as AsyncIterable<string>) {
    let start = 0
    for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n", start)) {
      const line = pending + chunk.slice(start, end)
      pending = ""
      start = end + 1
      if (skipping) {
        skipping = false
        continue
      }
      const value = lineOf(line)
      if (value !== undefined) yield value
    }
    if (!skipping) pending += chunk.slice(start)
    if (pending.length > MAX_RECORD_BYTES) {
      pending = ""
      skipping = true
      onUnreadable()
    }
  }
  if (!skipping) {
    const value = lineOf(pending)
    if (value !== undefined) yield value
  }
}
