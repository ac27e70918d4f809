/**
 * The cross-runtime conformance suite on Deno: each case gets an emulator served by `Deno.serve`
 * in this process (see `support/emulatorHost.ts`) and the adapter's Promise client talks to it
 * over real loopback TCP. Deno's sanitizers stay on, so a case also fails if the client leaves
 * a connection, timer or other resource behind after `close()`.
 */
import { conformanceCases, connectEmulator } from "@oneroute/testkit/conformance"
import { createClient } from "../src/index.ts"
import { refusedUrl, startEmulatorHost } from "./support/emulatorHost.ts"
import { test } from "./support/test.ts"

for (const testCase of conformanceCases) {
  test(`conformance on Deno: ${testCase.name}`, async () => {
    const host = await startEmulatorHost()
    try {
      const control = await connectEmulator(host.url)
      await control.reset()
      await testCase.run({ createClient, detectsRefusedConnection: true, refusedUrl: refusedUrl() }, control)
    } finally {
      await host.close()
    }
  })
}
