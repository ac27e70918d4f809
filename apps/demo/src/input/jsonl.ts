import { invalidRow, type Row, rowFromRecord } from "./row.js"

/** Reads JSON Lines: one `{ "to", "message", "from"? }` object per line; blank lines are skipped. */
export const readJsonl = (text: string): Array<Row> =>
  text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .flatMap((source, index): Array<Row> => {
      const line = index + 1
      if (source.trim() === "") return []
      let value: unknown
      try {
        value = JSON.parse(source)
      } catch (error) {
        return [invalidRow(line, `not valid JSON (${(error as Error).message})`)]
      }
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return [invalidRow(line, 'expected a JSON object { "to", "message", "from"? }')]
      return [rowFromRecord(line, value as Record<string, unknown>)]
    })
