/** Runs in Node before the browser tests: one emulator for all files, plus a refused URL. */
import { startEmulator } from "@oneroute/testkit"
import type { TestProject } from "vitest/node"
import { RELAY_PATH, startRelayHost } from "./relayHost.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** The running emulator, e.g. `http://127.0.0.1:41234`. */
    readonly emulatorUrl: string
    /** A loopback URL with nothing listening (an ephemeral port that was just closed). */
    readonly refusedUrl: string
    /** A real relay (`relayHandler`) in front of the emulator; see relayHost.ts. */
    readonly relayUrl: string
    /** The relay host's port, to reach it under the page's own host name (same site: cookies). */
    readonly relayPort: number
  }
}

export const setup = async (project: TestProject) => {
  const emulator = await startEmulator()
  // An ephemeral port (never one of Chromium's blocked "unsafe ports"), free again once closed.
  const closed = await startEmulator()
  const refusedUrl = closed.url
  await closed.close()
  project.provide("emulatorUrl", emulator.url)
  project.provide("refusedUrl", refusedUrl)
  const relay = await startRelayHost(emulator, "2348000000001")
  project.provide("relayUrl", `${relay.url}${RELAY_PATH}`)
  project.provide("relayPort", relay.port)
  // Returned rather than exported as `teardown`: with the export, vitest's exit hung for 10 s
  // on the still-open server.
  return async () => {
    await relay.close()
    await emulator.close()
  }
}
