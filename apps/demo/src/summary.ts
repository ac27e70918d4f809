import type { SendOutcome } from "@oneroute/node"

/** What happened to one row: written to stdout as one JSON line. */
export type RowOutcome =
  | { readonly line: number; readonly to: string | null; readonly status: "sent"; readonly id: string }
  | {
      readonly line: number
      readonly to: string | null
      readonly status: "failed"
      readonly error: string
      readonly sendOutcome: SendOutcome
      readonly message: string
    }

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`

/** The lines printed after a batch: counts, failures by error tag, and what may be resent. */
export const summarise = (outcomes: ReadonlyArray<RowOutcome>): Array<string> => {
  const failed = outcomes.flatMap((outcome) => (outcome.status === "failed" ? [outcome] : []))
  const lines = [`Done: ${outcomes.length - failed.length} sent, ${failed.length} failed, of ${outcomes.length}.`]
  if (failed.length === 0) return lines
  const byTag = new Map<string, number>()
  for (const { error } of failed) byTag.set(error, (byTag.get(error) ?? 0) + 1)
  lines.push(`Failed by error: ${[...byTag].map(([tag, count]) => `${tag} ${count}`).join(", ")}.`)
  const unknown = failed.filter((outcome) => outcome.sendOutcome === "unknown")
  if (unknown.length > 0) {
    const where = unknown
      .map((outcome) => outcome.line)
      .sort((a, b) => a - b)
      .join(", ")
    lines.push(
      `${plural(unknown.length, "failure")} with an unknown outcome (lines ${where}): these messages may have been sent. Check those conversations before resending them, or the customer may get them twice.`
    )
  }
  const notSent = failed.length - unknown.length
  if (notSent > 0)
    lines.push(`${plural(notSent, "failure")} certainly not sent: fix the cause, then resend only those rows.`)
  return lines
}
