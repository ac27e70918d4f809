import { InputFileError, invalidRow, type Row, rowFromRecord } from "./row.js"

/** One CSV record: its fields, or why it is malformed. `line` is where it starts (1-based). */
export type CsvRecord =
  | { readonly line: number; readonly fields: ReadonlyArray<string> }
  | { readonly line: number; readonly error: string }

/**
 * An RFC 4180 parser: comma-separated, CRLF or LF line ends, fields in double quotes may hold
 * commas, line breaks and `""` (an escaped quote). A malformed record is reported, and parsing
 * goes on with the next one. Blank lines are skipped.
 *
 * An unclosed quote: a quoted field may span lines, but only if it ends well, with a closing quote
 * followed by a comma or a line end. A quoted field that reaches the end of the input, or that
 * spans lines and whose closing quote is followed by other text (usually the opening quote of a
 * field on a later line), is reported as never closed, naming the line where its quote opened; that
 * record ends there and parsing resumes on the next line, so the rows after it are still read.
 */
export const parseCsv = (text: string): Array<CsvRecord> => {
  const records: Array<CsvRecord> = []
  let i = text.startsWith("\uFEFF") ? 1 : 0
  let line = 1
  const atRecordEnd = () => i >= text.length || text[i] === "\n" || text.startsWith("\r\n", i)
  const atFieldEnd = () => text[i] === "," || atRecordEnd()

  while (i < text.length) {
    const start = line
    const fields: Array<string> = []
    let error: string | undefined
    /** Where the quote of a never-closed field opened: the record ends on that line. */
    let unclosed: { readonly line: number; readonly index: number } | undefined
    for (;;) {
      let field = ""
      if (text[i] === '"') {
        const opened = { line, index: i }
        let closed = false
        i++
        while (i < text.length) {
          if (text[i] === '"') {
            i++
            if (text[i] !== '"') {
              closed = true
              break
            }
          } else if (text[i] === "\n") line++
          field += text[i]
          i++
        }
        if (!closed || (line > opened.line && !atFieldEnd())) {
          unclosed = opened
          break
        }
        if (!atFieldEnd()) error ??= "text after a closing quote: quote the whole field"
      }
      // Unquoted text (or, after an error, the rest of the field) runs to the next comma or line end.
      while (!atFieldEnd()) {
        if (text[i] === '"') error ??= 'a quote inside an unquoted field: quote the field and write the quote as ""'
        field += text[i]
        i++
      }
      fields.push(field)
      if (text[i] !== ",") break
      i++
    }
    if (unclosed !== undefined) {
      records.push({ line: start, error: `a quoted field that starts on line ${unclosed.line} is never closed` })
      const next = text.indexOf("\n", unclosed.index)
      i = next === -1 ? text.length : next + 1
      line = unclosed.line + 1
      continue
    }
    if (i < text.length) {
      i += text[i] === "\r" ? 2 : 1
      line++
    }
    if (error !== undefined) records.push({ line: start, error })
    else if (fields.length > 1 || fields[0] !== "") records.push({ line: start, fields })
  }
  return records
}

const COLUMNS = ["to", "message", "from"]

/** Reads a CSV file with a header row `to,message` and an optional `from` column (any order; other columns ignored). */
export const readCsv = (text: string): Array<Row> => {
  const [header, ...records] = parseCsv(text)
  if (header === undefined) throw new InputFileError("the CSV file is empty: expected a header row to,message[,from]")
  if ("error" in header) throw new InputFileError(`the CSV header row is malformed: ${header.error}`)
  const names = header.fields.map((name) => name.trim().toLowerCase())
  for (const column of COLUMNS) {
    if (names.indexOf(column) !== names.lastIndexOf(column))
      throw new InputFileError(`the CSV header has the column "${column}" twice`)
  }
  if (!names.includes("to") || !names.includes("message"))
    throw new InputFileError(`the CSV header row must have "to" and "message" columns (got ${header.fields.join(",")})`)
  return records.map((record) => {
    if ("error" in record) return invalidRow(record.line, record.error)
    if (record.fields.length !== names.length)
      return invalidRow(
        record.line,
        `expected ${names.length} fields (${names.join(",")}), got ${record.fields.length}`
      )
    return rowFromRecord(record.line, Object.fromEntries(names.map((name, index) => [name, record.fields[index]])))
  })
}
