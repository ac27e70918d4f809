import { createBullBoard } from "@bull-board/api"
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter"
import { ExpressAdapter } from "@bull-board/express"
import { InvalidOptionsError } from "@oneroute/core"
import express from "express"
import type { BoardHandler, BoardOptions } from "../Board.js"
import type { Campaigns } from "../Campaigns.js"
import { queueOf } from "./campaigns.js"

const BASE_PATH_PATTERN = /^\/[A-Za-z0-9_./-]{0,200}$/

export const mountBoard = async (campaigns: Campaigns, options: BoardOptions): Promise<BoardHandler> => {
  const { basePath, readOnly = true, title = "OneRoute campaigns" } = options
  if (typeof basePath !== "string" || !BASE_PATH_PATTERN.test(basePath) || basePath.includes("//")) {
    throw new InvalidOptionsError({
      option: "basePath",
      problem: "must be / followed by at most 200 letters, digits, _, -, . or /, such as /board"
    })
  }
  const queue = await queueOf(campaigns)
  const path = basePath.length > 1 ? basePath.replace(/\/$/, "") : basePath
  const server = new ExpressAdapter().setBasePath(path)
  createBullBoard({
    queues: [new BullMQAdapter(queue, { readOnlyMode: readOnly })],
    serverAdapter: server,
    options: { uiConfig: { boardTitle: title } }
  })
  // Bull Board's router is an Express app of its own: it, too, should not advertise Express.
  const board: express.Express = server.getRouter()
  board.disable("x-powered-by")
  const app = express()
  app.disable("x-powered-by")
  app.use(path, board)
  return app as BoardHandler
}
