/**
 * The transport suite (@oneroute/testkit) on Deno: the adapter's `fetch` on a `Deno.HttpClient`
 * that pools no idle connection. Each case gets its own probe (in this process, on Deno's
 * `node:net`), so Deno's sanitizers check that the case left no connection or timer behind.
 */
import { startTransportProbe, transportCases } from "@oneroute/testkit/conformance"
import { ownedFetchTransport } from "../src/internal/transport.ts"
import { refusedUrl } from "./support/emulatorHost.ts"
import { test } from "./support/test.ts"

/** Cases Deno's transport fails today (none), run so that they would fail the run the day they pass. */
const KNOWN_FAILURES: ReadonlySet<string> = new Set([])

test("transport suite on Deno > knows every case it expects to fail", () => {
  const names = new Set(transportCases.map((testCase) => testCase.name))
  for (const name of KNOWN_FAILURES) if (!names.has(name)) throw new Error(`no case named ${name}`)
})

for (const testCase of transportCases) {
  test(`transport suite on Deno > ${testCase.name}`, async () => {
    const probe = await startTransportProbe()
    try {
      const failure = await testCase
        .run({
          transport: () => ownedFetchTransport(undefined),
          probeUrl: probe.url,
          refusedUrl: refusedUrl(),
          detectsRefusedConnection: true
        })
        .then(
          () => undefined,
          (error: unknown) => error
        )
      if (!KNOWN_FAILURES.has(testCase.name) && failure !== undefined) throw failure
      if (KNOWN_FAILURES.has(testCase.name) && failure === undefined) {
        throw new Error("passes now: take it off KNOWN_FAILURES")
      }
    } finally {
      await probe.close()
    }
  })
}
