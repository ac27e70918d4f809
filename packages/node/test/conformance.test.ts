/**
 * The cross-runtime conformance suite on Node, through four targets: the Promise API and the
 * Effect API (`layer`), each directly against the emulator and through a real relay
 * (`relayHandler` on `node:http`, one per client, holding the case's key).
 */
import { createServer as createTcpServer } from "node:net"
import {
  conformanceCases,
  conformanceTargets,
  connectEmulator,
  type Emulator,
  type EmulatorControl,
  relayStarter,
  startEmulator
} from "@oneroute/testkit"
import { afterAll, beforeAll, beforeEach, describe, it } from "vitest"
import { createClient, layer, relayHandler } from "../src/effect.js"
import { serve } from "./support/serve.js"

/** A loopback port that was free a moment ago and has nothing listening now. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createTcpServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

let emulator: Emulator
let control: EmulatorControl
let refusedUrl: string
beforeAll(async () => {
  emulator = await startEmulator()
  control = await connectEmulator(emulator.url)
  refusedUrl = `http://127.0.0.1:${await closedPort()}`
})
afterAll(() => emulator.close())
beforeEach(() => emulator.reset())

const targets = conformanceTargets({
  createClient,
  // Relay mode through the same createClient (createClient({ relayUrl })), as applications do.
  createRelayClient: createClient,
  layer,
  startRelay: relayStarter(relayHandler, serve),
  detectsRefusedConnection: true,
  refusedUrl: () => refusedUrl
})

for (const { label, target } of targets) {
  describe(`conformance on Node (undici) ${label}`, () => {
    for (const testCase of conformanceCases) {
      it(testCase.name, () => testCase.run(target, control))
    }
  })
}
