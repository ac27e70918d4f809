import { readFile } from "node:fs/promises"
import { extname } from "node:path"
import { isOneRouteError, type OneRouteClient } from "@oneroute/node"
import { clientFor, type Target } from "../environment.js"
import { readCsv } from "../input/csv.js"
import { readJsonl } from "../input/jsonl.js"
import { InputFileError, type Row } from "../input/row.js"
import { forEachBounded } from "../pool.js"
import { createProgress, type Progress } from "../progress.js"
import { type RowOutcome, summarise } from "../summary.js"

export interface SendFileCommand {
  readonly path: string
  readonly from: string | undefined
  readonly concurrency: number
}

const readers: Readonly<Record<string, (text: string) => Array<Row>>> = { ".csv": readCsv, ".jsonl": readJsonl }

/** Reads the rows of a .csv or .jsonl file; throws InputFileError when the file as a whole is unusable. */
export const loadRows = async (path: string): Promise<Array<Row>> => {
  const reader = readers[extname(path).toLowerCase()]
  if (reader === undefined) throw new InputFileError(`${path}: expected a .csv or .jsonl file`)
  let text: string
  try {
    text = await readFile(path, "utf8")
  } catch (error) {
    throw new InputFileError(`cannot read ${path}: ${(error as Error).message}`)
  }
  return reader(text)
}

const failedRow = (line: number, to: string | null, error: unknown): RowOutcome => {
  if (isOneRouteError(error))
    return { line, to, status: "failed", error: error._tag, sendOutcome: error.sendOutcome, message: error.message }
  // Not one of the SDK's typed errors (a defect): the request may have gone out.
  return { line, to, status: "failed", error: "UnexpectedError", sendOutcome: "unknown", message: String(error) }
}

const sendRow = async (
  client: Pick<OneRouteClient, "sendSessionMessage">,
  row: Row,
  defaultFrom: string | undefined
): Promise<RowOutcome> => {
  const invalid = (problem: string): RowOutcome => ({
    line: row.line,
    to: row.to,
    status: "failed",
    error: "InvalidRow",
    sendOutcome: "not-sent",
    message: `line ${row.line}: ${problem}`
  })
  if (row.kind === "invalid") return invalid(row.problem)
  const from = row.from ?? defaultFrom
  if (from === undefined) return invalid("no from: add a from column or pass --from")
  try {
    const message = await client.sendSessionMessage({ from, to: row.to, message: row.message })
    return { line: row.line, to: row.to, status: "sent", id: message.id }
  } catch (error) {
    return failedRow(row.line, row.to, error)
  }
}

export interface SendRowsOptions {
  readonly client: Pick<OneRouteClient, "sendSessionMessage">
  readonly concurrency: number
  readonly defaultFrom: string | undefined
  readonly progress: Progress
  /** Receives each outcome as soon as its row settles, in completion order. */
  readonly report: (outcome: RowOutcome) => void
  /** Aborting stops starting rows; rows in flight finish. */
  readonly stop?: AbortSignal
}

/** Sends every row through one client, at most `concurrency` at a time. */
export const sendRows = async (rows: ReadonlyArray<Row>, options: SendRowsOptions): Promise<Array<RowOutcome>> => {
  const outcomes: Array<RowOutcome> = []
  let sent = 0
  await forEachBounded(
    rows,
    options.concurrency,
    async (row) => {
      const outcome = await sendRow(options.client, row, options.defaultFrom)
      outcomes.push(outcome)
      if (outcome.status === "sent") sent++
      options.progress.clear()
      options.report(outcome)
      options.progress.update(sent, outcomes.length - sent)
    },
    options.stop
  )
  options.progress.end()
  return outcomes
}

/** `send --file`: one JSON line per row on stdout, progress and a summary on stderr. Returns the exit code. */
export const sendFile = async (target: Target, command: SendFileCommand): Promise<number> => {
  const rows = await loadRows(command.path)
  const defaultFrom = command.from ?? target.from
  // Every customer in the file writes first, so the demo's 24-hour windows are open.
  const pairs = new Map<string, { to: string; from: string }>()
  for (const row of rows) {
    if (row.kind !== "message") continue
    const from = row.from ?? defaultFrom
    if (from !== undefined) pairs.set(`${row.to}|${from}`, { to: row.to, from })
  }
  for (const { to, from } of pairs.values()) target.openWindow(to, from)

  console.error(
    `Sending ${rows.length} rows from ${command.path} through ${target.label}, ${command.concurrency} at a time`
  )
  const client = clientFor(target)
  // The first Ctrl-C stops starting rows and lets those in flight finish, so every outcome is
  // known and reported; a second one exits at once.
  const stop = new AbortController()
  const interrupt = () => {
    console.error("\nInterrupted: finishing the sends in flight (Ctrl-C again to quit now)…")
    stop.abort()
    process.once("SIGINT", () => process.exit(130))
  }
  process.once("SIGINT", interrupt)
  try {
    const outcomes = await sendRows(rows, {
      client,
      concurrency: command.concurrency,
      defaultFrom,
      progress: createProgress(rows.length, process.stderr),
      report: (outcome) => process.stdout.write(`${JSON.stringify(outcome)}\n`),
      stop: stop.signal
    })
    for (const line of summarise(outcomes)) console.error(line)
    if (stop.signal.aborted) {
      console.error(`Not started: ${rows.length - outcomes.length} rows (certainly not sent).`)
      return 130
    }
    return outcomes.every((outcome) => outcome.status === "sent") ? 0 : 1
  } finally {
    process.removeListener("SIGINT", interrupt)
    await client.close()
  }
}
