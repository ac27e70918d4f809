/**
 * Bull Board, the BullMQ dashboard, mounted by one call: `@oneroute/queue/board`. Needs the
 * optional peers `@bull-board/api`, `@bull-board/express` and `express`.
 *
 * ```ts
 * import { createServer } from "node:http"
 * import { makeCampaigns } from "@oneroute/queue"
 * import { mountBoard } from "@oneroute/queue/board"
 *
 * const campaigns = makeCampaigns({ redis: "redis://127.0.0.1:6379" })
 * const board = await mountBoard(campaigns, { basePath: "/board" })
 * createServer(board).listen(3000, "127.0.0.1") // http://127.0.0.1:3000/board
 * ```
 *
 * @since 0.1.0
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type { Campaigns } from "./Campaigns.js"
import * as internal from "./internal/board.js"

/**
 * Options of {@link mountBoard}.
 *
 * @since 0.1.0
 */
export interface BoardOptions {
  /** Where the board lives, such as `"/board"`: `/` and then letters, digits, `_`, `-`, `.` or `/`. */
  readonly basePath: string
  /**
   * `true` (the default): the board shows jobs and counts and changes nothing. `false` adds Bull
   * Board's buttons (retry, promote, clean, pause, …): the ledger still keeps every message from
   * being sent twice, but a job you clean or empty away stays pending in the ledger until the
   * campaign is imported again.
   */
  readonly readOnly?: boolean
  /** The board's title. Default `"OneRoute campaigns"`. */
  readonly title?: string
}

/**
 * A request handler for `node:http`'s `createServer`, or for Express's `app.use` (it answers
 * under `basePath` and passes every other request on to `next`).
 *
 * @since 0.1.0
 */
export type BoardHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void
) => void

/**
 * Bull Board for the campaigns' queue, under `basePath`. Put it behind your own authentication:
 * it shows every job, recipients' numbers and texts included. Throws `InvalidOptionsError` for a
 * bad `basePath` or campaigns not made by `makeCampaigns`; rejects with the start check's error
 * (such as `RedisNotDurableError`).
 *
 * @since 0.1.0
 */
export const mountBoard: (campaigns: Campaigns, options: BoardOptions) => Promise<BoardHandler> = internal.mountBoard
