import * as Duration from "effect/Duration"
import type { WindowTracker } from "../ConversationWindows.js"
import type { OneRouteClient } from "../OneRouteClient.js"
import { makeEngine } from "./engine/engine.js"
import type { OwnedTransport } from "./engine/transport.js"
import type { ResolvedOptions } from "./options.js"
import { makePromiseClient } from "./promiseClient.js"

/**
 * The fast Promise client: the engine over an adapter's own transport, no fiber per send.
 * `close()` releases the transport (its connection pool).
 */
export const makeEngineClient = (
  options: ResolvedOptions,
  transport: OwnedTransport,
  windows: WindowTracker | undefined
): OneRouteClient => {
  const engine = makeEngine(options, transport.send)
  return makePromiseClient(
    (endpoint, input, { signal, headers, timeout }) =>
      engine.send(endpoint, input, {
        signal,
        headers,
        timeoutMs: timeout === undefined ? undefined : Duration.toMillis(timeout)
      }),
    transport.close,
    windows
  )
}
