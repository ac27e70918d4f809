/**
 * The transport suite (@oneroute/testkit) on Node, for both transports a Node app can run the
 * engine on: the adapter's own (undici's `request` on the SDK's keep-alive Agent) and core's
 * `fetchTransport` over Node's global `fetch`. One probe serves every case over loopback.
 */
import { createServer } from "node:net"
import { fetchTransport, type OwnedTransport } from "@oneroute/core/adapter"
import { startTransportProbe, transportCases } from "@oneroute/testkit"
import { afterAll, describe, expect, it } from "vitest"
import { ownedUndiciTransport } from "../src/internal/undiciTransport.js"

/** A loopback URL on a port that was free a moment ago and has nothing listening now. */
const refusedUrl = async (): Promise<string> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
}

const probe = await startTransportProbe()
const refused = await refusedUrl()
afterAll(() => probe.close())

/**
 * Each transport with the cases it fails today, registered with `it.fails` so they fail the run
 * the day they pass (none today).
 */
const transports: ReadonlyArray<{
  readonly label: string
  readonly transport: () => OwnedTransport
  readonly knownFailures: ReadonlySet<string>
}> = [
  { label: "undici (the adapter's own)", transport: () => ownedUndiciTransport(undefined), knownFailures: new Set() },
  {
    label: "fetchTransport over Node's global fetch",
    transport: () => ({ send: fetchTransport(() => fetch), close: async () => {} }),
    knownFailures: new Set()
  }
]

it("knows every case it expects to fail", () => {
  const names = new Set(transportCases.map((testCase) => testCase.name))
  expect(transports.flatMap(({ knownFailures }) => [...knownFailures]).filter((name) => !names.has(name))).toEqual([])
})

for (const { label, transport, knownFailures } of transports) {
  describe(`transport suite on Node: ${label}`, () => {
    const target = { transport, probeUrl: probe.url, refusedUrl: refused, detectsRefusedConnection: true }
    for (const testCase of transportCases) {
      ;(knownFailures.has(testCase.name) ? it.fails : it)(testCase.name, () => testCase.run(target))
    }
  })
}
