/** One message to send, from one record of the input file. */
export interface MessageRow {
  readonly kind: "message"
  /** The source line the record starts on (1-based), so the user can find it. */
  readonly line: number
  readonly to: string
  readonly message: string
  /** The business number; rows without one use `--from`. */
  readonly from: string | undefined
}

/** A record that cannot be sent as it is: reported as failed ("InvalidRow"), never a crash. */
export interface InvalidRow {
  readonly kind: "invalid"
  readonly line: number
  readonly to: string | null
  readonly problem: string
}

export type Row = MessageRow | InvalidRow

/** The whole file is unusable (unreadable, no header, wrong extension): a usage error. */
export class InputFileError extends Error {}

export const invalidRow = (line: number, problem: string, to: unknown = null): InvalidRow => ({
  kind: "invalid",
  line,
  to: typeof to === "string" && to !== "" ? to : null,
  problem
})

/** Checks the fields of one record, whatever the format. Empty counts as missing. */
export const rowFromRecord = (line: number, record: Readonly<Record<string, unknown>>): Row => {
  const problems: Array<string> = []
  const text = (name: string, required: boolean): string | undefined => {
    const value = record[name]
    if (value === undefined || value === "") {
      if (required) problems.push(`missing ${name}`)
      return undefined
    }
    if (typeof value === "string") return value
    problems.push(`${name} must be a string`)
    return undefined
  }
  const to = text("to", true)
  const message = text("message", true)
  const from = text("from", false)
  if (problems.length > 0 || to === undefined || message === undefined)
    return invalidRow(line, problems.join("; "), record.to)
  return { kind: "message", line, to, message, from }
}
