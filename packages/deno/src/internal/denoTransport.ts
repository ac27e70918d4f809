import { InvalidOptionsError } from "@oneroute/core"
import * as Either from "effect/Either"
import type { DenoTransportOptions } from "../DenoOneRoute.js"
import { getEnv } from "./environment.js"
import { ownedFetchTransport } from "./transport.js"

/** What both of Deno's APIs are built from: `fetch` on a `Deno.HttpClient`, `Deno.env`, the `fetch` check. */
export const denoTransport = {
  transport: ({ fetch }: DenoTransportOptions) => ownedFetchTransport(fetch),
  userAgent: "@oneroute/deno",
  getEnv,
  checkTransport: ({ fetch }: DenoTransportOptions) =>
    fetch === undefined || typeof fetch === "function"
      ? Either.right(fetch)
      : Either.left(
          new InvalidOptionsError({ option: "fetch", problem: "must be a fetch function, called as fetch(url, init)" })
        )
}
