/**
 * Serving web-standard handlers (the relay) from Node's HTTP stack.
 *
 * @since 0.1.0
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import * as internal from "./internal/nodeListener.js"

/**
 * Serves a web-standard handler (such as `relayHandler(…)`) from `node:http`, Express or Connect:
 * `http.createServer(toNodeListener(relay))`, `app.post("/oneroute/send", toNodeListener(relay))`.
 *
 * @since 0.1.0
 */
export const toNodeListener: (
  handler: (request: Request) => Promise<Response>
) => (req: IncomingMessage, res: ServerResponse) => void = internal.toNodeListener
