/**
 * The webhook suite on Node: the emulator's signed deliveries to `webhookHandler` served by
 * `toNodeListener`, feeding the tracker the Node client shares.
 */
import { startEmulator } from "@oneroute/testkit"
import { connectEmulator, type EmulatorControl, webhookCases } from "@oneroute/testkit/conformance"
import { afterAll, beforeAll, beforeEach, describe, it } from "vitest"
import { createClient, createWindowTracker, webhookHandler } from "../src/index.js"
import { serve } from "./support/serve.js"

describe("webhooks on Node (toNodeListener)", () => {
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  let control: EmulatorControl
  beforeAll(async () => {
    emulator = await startEmulator()
    control = await connectEmulator(emulator.url)
  })
  afterAll(() => emulator.close())
  beforeEach(() => control.reset())

  for (const testCase of webhookCases) {
    it(testCase.name, () => testCase.run({ createClient, webhookHandler, createWindowTracker, serve }, control), 60_000)
  }
})
