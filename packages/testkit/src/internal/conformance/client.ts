import type { ClientOptions, OneRouteClient } from "@oneroute/core"
import type { ConformanceTarget } from "../../ConformanceSuite.js"
import type { EmulatorControl } from "../../EmulatorControl.js"

/** What a case gets: the target's client, the emulator's first business number and its API key. */
export interface CaseContext {
  readonly client: OneRouteClient
  readonly from: string
  readonly apiKey: string
}

/**
 * A case over a client of the target, with no window opened (templates and campaigns need none),
 * closed when the case ends.
 */
export const withClient =
  (options: Partial<ClientOptions>, body: (ctx: CaseContext, emulator: EmulatorControl) => Promise<void>) =>
  async (target: ConformanceTarget, emulator: EmulatorControl) => {
    const from = emulator.channels[0]?.number ?? ""
    // A timeout far above any loaded machine's answer time: only the timeout cases set a short one.
    const client = target.createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, timeout: 30_000, ...options })
    try {
      await body({ client, from, apiKey: emulator.apiKey }, emulator)
    } finally {
      await client.close()
    }
  }
