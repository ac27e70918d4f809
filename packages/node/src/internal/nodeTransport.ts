import { InvalidOptionsError } from "@oneroute/core"
import * as Either from "effect/Either"
import type { NodeTransportOptions } from "../NodeOneRoute.js"
import { ownedUndiciTransport } from "./undiciTransport.js"

/** What both of Node's APIs are built from: undici, `process.env`, the dispatcher check. */
export const nodeTransport = {
  transport: ({ dispatcher }: NodeTransportOptions) => ownedUndiciTransport(dispatcher),
  userAgent: "@oneroute/node",
  getEnv: (name: string) => process.env[name],
  checkTransport: ({ dispatcher }: NodeTransportOptions) =>
    dispatcher === undefined ||
    (typeof dispatcher === "object" && dispatcher !== null && typeof dispatcher.dispatch === "function")
      ? Either.right(dispatcher)
      : Either.left(
          new InvalidOptionsError({
            option: "dispatcher",
            problem: "must be an undici Dispatcher (an Agent, ProxyAgent, Pool, …) with a dispatch method"
          })
        )
}
