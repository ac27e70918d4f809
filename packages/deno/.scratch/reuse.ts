import { connectEmulator } from "@oneroute/testkit/conformance"
import { createClient } from "../src/index.ts"
import { startEmulatorHost } from "../test/support/emulatorHost.ts"

for (const realResets of [true, false]) {
  const host = await startEmulatorHost({ realResets })
  const control = await connectEmulator(host.url)
  for (const when of ["before-accept", "after-accept"] as const) {
    await control.reset()
    const from = control.channels[0]!.number
    await control.receiveInbound({ from: "2348012345678", to: from })
    const client = createClient({ apiKey: control.apiKey, baseUrl: control.url })
    await client.sendSessionMessage({ from, to: "2348012345678", message: "warm" })
    await control.inject({ kind: "reset", when })
    let outcome = "resolved"
    try { await client.sendSessionMessage({ from, to: "2348012345678", message: "hi" }) } catch (e) { outcome = `${(e as any)._tag} ${(e as any).sendOutcome} ${(e as any).reason}` }
    console.log(`realResets=${realResets} ${when} reused connection: ${outcome}; requests=${await control.requests()} accepted=${(await control.sent()).length}`)
    await client.close()
  }
  await host.close()
}
