/** Runs in Node before the browser tests: one emulator for all files, a refused URL, the relay and the transport probe. */
import { startEmulator, startTransportProbe } from "@oneroute/testkit"
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
    /** The transport suite's probe (`startTransportProbe`), for transportSuite.test.ts. */
    readonly transportProbeUrl: string
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
  const probe = await startTransportProbe()
  project.provide("transportProbeUrl", probe.url)
  // Returned rather than exported as `teardown`: with the export, vitest's exit hung for 10 s
  // on the still-open server.
  return async () => {
    await probe.close()
    await relay.close()
    await emulator.close()
  }
}
