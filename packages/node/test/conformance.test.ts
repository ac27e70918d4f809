/**
 * The cross-runtime conformance suite on Node, through four targets: the Promise API and the
 * Effect API (`layer`), each directly against the emulator and through a real relay
 * (`relayHandler` on `node:http`, one per client, holding the case's key).
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { createServer as createTcpServer } from "node:net"
import {
  conformanceCases,
  conformanceTargets,
  connectEmulator,
  type Emulator,
  type EmulatorControl,
  relayStarter,
  type ServedHandler,
  startEmulator
} from "@oneroute/testkit"
import { afterAll, beforeAll, beforeEach, describe, it } from "vitest"
import { createClient, layer, relayHandler, toNodeListener } from "../src/effect.js"

/** A loopback port that was free a moment ago and has nothing listening now. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createTcpServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** Serves a web-standard handler on 127.0.0.1 with `node:http`. */
const serve = async (handler: (request: Request) => Promise<Response>): Promise<ServedHandler> => {
  const server = createServer(toNodeListener(handler))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

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
