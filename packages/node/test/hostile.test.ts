/**
 * The hostile suite on Node: every endpoint of `Endpoint.all` against every attack of the
 * hostile OneRoute, through the Promise client, the Effect API (`layer`, with a recording logger
 * and tracer) and a real relay (`relayHandler` on `node:http`, memory store) with an
 * `Idempotency-Key` and its repeat. Prints the run's totals at the end.
 */
import { hostileSuite } from "@oneroute/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createClient, layer, relayHandler } from "../src/effect.js"
import { serve } from "./support/serve.js"

const suite = hostileSuite({ runtime: { createClient, layer, relayHandler, serve } })

beforeAll(suite.setup, 60_000)
afterAll(async () => {
  await suite.teardown()
  const totals = suite.totals()
  console.log(
    `hostile suite on Node: ${totals.attacksRun} attacks run, ${totals.sends} sends, ` +
      `${totals.upstreamCopies} upstream copies counted, ${totals.renderingsSearched} renderings searched ` +
      `(${totals.spansRecorded} spans, ${totals.logLinesRecorded} log lines), ${totals.failedCases} failed cases`
  )
  // The Effect target's tracer must have seen the sends' spans, or the span search searched nothing.
  if (totals.attacksRun === suite.cases.length) expect(totals.spansRecorded).toBeGreaterThan(0)
}, 60_000)

for (const target of ["Promise direct", "Effect direct", "relay"] as const) {
  describe(`hostile OneRoute on Node [${target}]`, () => {
    for (const testCase of suite.cases.filter((candidate) => candidate.target === target)) {
      it(testCase.name, testCase.run, 120_000)
    }
  })
}
