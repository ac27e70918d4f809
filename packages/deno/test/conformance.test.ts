/**
 * The cross-runtime conformance suite on Deno, through four targets: the Promise API
 * (`createClient`, direct or with `relayUrl`) and the Effect API (`layer` of
 * `@oneroute/deno/effect`), each directly against the emulator and through a real relay
 * (`relayHandler` on `Deno.serve`, one per client, holding the case's key). Each case gets an
 * emulator served by `Deno.serve` in this process (see `support/emulatorHost.ts`); clients talk
 * to it over real loopback TCP. Deno's sanitizers stay on, so a case also fails if a client or
 * relay leaves a connection, timer or other resource behind after `close()`.
 */
import { conformanceCases, conformanceTargets, connectEmulator, relayStarter } from "@oneroute/testkit/conformance"
import { layer } from "../src/effect.ts"
import { createClient, relayHandler } from "../src/index.ts"
import { refusedUrl, startEmulatorHost } from "./support/emulatorHost.ts"
import { serve } from "./support/serve.ts"
import { test } from "./support/test.ts"

const targets = conformanceTargets({
  createClient,
  createRelayClient: createClient,
  layer,
  startRelay: relayStarter(relayHandler, serve),
  detectsRefusedConnection: true,
  refusedUrl
})

for (const { label, target } of targets) {
  for (const testCase of conformanceCases) {
    test(`conformance on Deno ${label} > ${testCase.name}`, async () => {
      const host = await startEmulatorHost()
      try {
        const control = await connectEmulator(host.url)
        await control.reset()
        await testCase.run(target, control)
      } finally {
        await host.close()
      }
    })
  }
}
