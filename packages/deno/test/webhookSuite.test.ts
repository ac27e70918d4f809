/**
 * The webhook suite on Deno: the emulator's signed deliveries to `webhookHandler` served by
 * `Deno.serve`, feeding the tracker the Deno client shares. Sanitizers on.
 */
import { connectEmulator, webhookCases } from "@oneroute/testkit/conformance"
import { createClient, createWindowTracker, webhookHandler } from "../src/index.ts"
import { startEmulatorHost } from "./support/emulatorHost.ts"
import { serve } from "./support/serve.ts"
import { test } from "./support/test.ts"

for (const testCase of webhookCases) {
  test(`webhooks on Deno (Deno.serve) > ${testCase.name}`, async () => {
    const host = await startEmulatorHost()
    try {
      const control = await connectEmulator(host.url)
      await control.reset()
      await testCase.run({ createClient, webhookHandler, createWindowTracker, serve }, control)
    } finally {
      await host.close()
    }
  })
}
