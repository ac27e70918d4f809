/**
 * Recipients read from files, streamed: a file of any size is read one record at a time, so
 * `enqueue` holds only a window of it.
 *
 * ```ts
 * import { makeCampaigns, recipientsFromCsv } from "@oneroute/queue"
 *
 * const campaigns = makeCampaigns({ redis: "redis://127.0.0.1:6379" })
 * const file = recipientsFromCsv("customers.csv")
 * const result = await campaigns.enqueue({ campaignId: "november", from: "2348000000001", recipients: file.recipients })
 * console.log(result, file.unreadable())
 * await campaigns.close()
 * ```
 *
 * @since 0.1.0
 */
import type { Readable } from "node:stream"
import type { Recipient } from "./Campaigns.js"
import * as internal from "./internal/files.js"

/**
 * A file path or a readable stream (such as `process.stdin`).
 *
 * @since 0.1.0
 */
export type FileSource = string | Readable

/**
 * Recipients read from a file, and how many records could not be read at all (not valid JSON,
 * a broken CSV record, or longer than 1 MiB). Records that can be read but are not valid
 * recipients are reported by `enqueue` as usual.
 *
 * @since 0.1.0
 */
export interface RecipientFile {
  /** The records, parsed one at a time as `enqueue` reads them. */
  readonly recipients: AsyncIterable<Recipient>
  /** Records skipped so far because they could not be read. */
  readonly unreadable: () => number
}

const counted = (read: (source: FileSource, onUnreadable: () => void) => AsyncIterable<unknown>) => {
  return (source: FileSource): RecipientFile => {
    let unreadable = 0
    return {
      // Each record is validated by `enqueue`, so it is handed on as read.
      recipients: read(source, () => unreadable++) as AsyncIterable<Recipient>,
      unreadable: () => unreadable
    }
  }
}

/**
 * CSV with a header row. Columns: `to`, and `message` or `template` (a template's name) with
 * `parameters` (its texts separated by `|`); optional `key`, `fallback_template` and
 * `fallback_parameters`. Empty cells count as absent; other columns are ignored.
 *
 * @since 0.1.0
 */
export const recipientsFromCsv: (source: FileSource) => RecipientFile = counted(internal.csvRecipients)

/**
 * JSON Lines: one recipient object per line, as {@link Recipient} (`{"to":"…","message":"…"}`).
 * Blank lines are skipped.
 *
 * @since 0.1.0
 */
export const recipientsFromJsonLines: (source: FileSource) => RecipientFile = counted(internal.jsonLinesRecipients)
