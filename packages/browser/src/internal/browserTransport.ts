import { fetchTransport } from "@oneroute/core/adapter"
import type { BrowserTransportOptions } from "../BrowserOneRoute.js"
import { checkTransport, prepare } from "./options.js"

/**
 * What both of the browser's APIs are built from: the page's `fetch` (looked up at each send)
 * with its `credentials`, no environment, and the browser's rules for options.
 */
export const browserTransport = {
  transport: ({ fetch, credentials }: BrowserTransportOptions) => ({
    send: fetchTransport(() => fetch ?? globalThis.fetch, credentials === undefined ? {} : { credentials }),
    close: async () => {}
  }),
  // No default `User-Agent`: the browser sends its own, and a page-set one is a header a
  // cross-origin relay would have to allow (CORS). Only an explicit `userAgent` option is sent.
  userAgent: undefined,
  getEnv: () => undefined,
  checkTransport,
  prepare
}
