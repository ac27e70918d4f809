/**
 * Serving web-standard handlers (the relay, the webhook receiver) from Node's HTTP stack.
 *
 * @since 0.1.0
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import * as internal from "./internal/nodeListener.js"

/**
 * Serves a web-standard handler (`relayHandler(…)`, `webhookHandler(…)`) from `node:http`, Express
 * or Connect. The handler's second argument is the peer's address (`{ remoteAddr: { hostname } }`,
 * as `Deno.serve` passes it), which a webhook receiver's `allowedIps` checks.
 * The relay answers every endpoint below the path it is mounted at (a send goes to
 * `/oneroute/api/public/conversation/text`), so mount it on a prefix, not on one exact path, and
 * before any body parser: `app.use("/oneroute", toNodeListener(relay))` in Express or Connect; with
 * `node:http`, `const toRelay = toNodeListener(relay)` and `http.createServer((req, res) =>
 * req.url?.startsWith("/oneroute/") ? toRelay(req, res) : yourApp(req, res))`. Pages then use
 * `createClient({ relayUrl: "/oneroute" })`, and the relay's `publicUrl` is that mount
 * (`"https://app.example.com/oneroute"`). A mount on one exact path (`app.post("/oneroute/send", …)`)
 * never sees a send: every one would be a 404.
 *
 * @since 0.1.0
 */
export const toNodeListener: (
  handler: (request: Request, connection: NodeConnection) => Promise<Response>
) => (req: IncomingMessage, res: ServerResponse) => void = internal.toNodeListener

/**
 * What `toNodeListener` passes a handler besides the request: the peer's address (the socket's,
 * never a forwarded header).
 *
 * @since 0.4.0
 */
export interface NodeConnection extends internal.Connection {}
