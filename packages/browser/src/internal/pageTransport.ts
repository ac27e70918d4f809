import { fetchTransport, type OwnedTransport } from "@oneroute/core/adapter"
import type { BrowserTransportOptions } from "../BrowserOneRoute.js"

/** The engine's transport on the page's `fetch` (looked up at each send) with its `credentials`. */
export const pageTransport = ({ fetch, credentials }: BrowserTransportOptions): OwnedTransport => ({
  send: fetchTransport(() => fetch ?? globalThis.fetch, credentials === undefined ? {} : { credentials }),
  close: async () => {}
})
