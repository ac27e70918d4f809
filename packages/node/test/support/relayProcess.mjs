// A relay in its own process, in front of an emulator in the same process, for tests that try
// to crash it. Prints `{"port":…,"emulatorUrl":…}` on its first stdout line, then serves
// until killed. It uses the built packages: this is what a team deploys.
import { createServer } from "node:http"
import { startEmulator } from "@oneroute/testkit"
import { relayHandler, toNodeListener } from "../../dist/index.js"

const BUSINESS = "2348000000001"
const emulator = await startEmulator()
emulator.receiveInbound({ from: "2348012345678", to: BUSINESS })
const relay = relayHandler({
  apiKey: emulator.apiKey,
  baseUrl: emulator.url,
  allowedFrom: [BUSINESS],
  authorize: (request) => request.headers.get("authorization") !== "Bearer refused",
  publicUrl: "https://support.example.com",
  retry: false
})
const server = createServer(toNodeListener(relay))
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, emulatorUrl: emulator.url })}\n`)
})
