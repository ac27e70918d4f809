/**
 * `@oneroute/testkit/handler`: the emulator as a web-standard `(Request) => Promise<Response>`
 * handler, for hosts other than `node:http` (for example `Deno.serve`). Uses only web globals.
 *
 * @since 0.1.0
 */
import type { EmulatorOptions } from "./Emulator.js"
import { createHandler, type Handler } from "./internal/emulator/handler.js"
import { createCore } from "./internal/emulator/state.js"

/**
 * An emulator handler and what its host needs to know.
 *
 * @since 0.1.0
 */
export interface EmulatorHandler {
  /** Serve this. */
  readonly handler: Handler
  /** The API key the emulator accepts. */
  readonly apiKey: string
  /** Tell the emulator the URL it is served at (reported by `/__emulator/info`). */
  readonly setUrl: (url: string) => void
  /** Ends hanging requests, pending campaign timers and webhook deliveries; call before stopping the host. */
  readonly shutdown: () => void
}

/**
 * Creates an emulator handler with the same options and behaviour as `startEmulator` (campaigns
 * and webhooks included: its webhooks are posted with the host's `fetch`).
 *
 * @since 0.1.0
 */
export const createEmulatorHandler = (options: Omit<EmulatorOptions, "port" | "host"> = {}): EmulatorHandler => {
  const core = createCore(options)
  return {
    handler: createHandler(core),
    apiKey: core.apiKey,
    setUrl: (url) => {
      core.url = url
    },
    shutdown: () => core.shutdown()
  }
}
