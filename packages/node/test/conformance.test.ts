import { createServer } from "node:net"
import {
  conformanceCases,
  connectEmulator,
  type Emulator,
  type EmulatorControl,
  startEmulator
} from "@oneroute/testkit"
import { afterAll, beforeAll, beforeEach, describe, it } from "vitest"
import { createClient } from "../src/index.js"

/** A loopback port that was free a moment ago and has nothing listening now. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

describe("conformance on Node (undici)", () => {
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

  for (const testCase of conformanceCases) {
    it(testCase.name, () => testCase.run({ createClient, detectsRefusedConnection: true, refusedUrl }, control))
  }
})
