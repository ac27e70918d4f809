/**
 * The cross-runtime conformance suite on Deno: the emulator served by `Deno.serve` in this
 * process, the adapter's Promise client talking to it over real loopback TCP.
 */
import { conformanceCases, connectEmulator } from "@oneroute/testkit/conformance"
import { createClient } from "../src/index.ts"
import { refusedUrl, startEmulatorHost } from "./support/emulatorHost.ts"

Deno.test("conformance on Deno (fetch on a Deno.HttpClient)", async (t) => {
  const host = await startEmulatorHost()
  try {
    const control = await connectEmulator(host.url)
    const target = { createClient, detectsRefusedConnection: true, refusedUrl: refusedUrl() }
    for (const testCase of conformanceCases) {
      await t.step({
        name: testCase.name,
        // The emulator host is shared by the steps; its relay connections outlive a step.
        sanitizeOps: false,
        sanitizeResources: false,
        fn: async () => {
          await control.reset()
          await testCase.run(target, control)
        }
      })
    }
  } finally {
    await host.close()
  }
})
