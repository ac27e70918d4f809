import * as Tracer from "effect/Tracer"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeCampaigns } from "../src/index.js"
import { BUSINESS, customer, eventually, openWindows, type Servers, startServers } from "./support/setup.js"

let servers: Servers

beforeAll(async () => {
  servers = await startServers()
})
afterAll(async () => {
  await servers?.stop()
})

/** Records every span's name, attributes and end, so the test reads what a tracer would export. */
const recordingTracer = () => {
  const spans: Array<{ name: string; kind: Tracer.SpanKind; attributes: Map<string, unknown>; ended: boolean }> = []
  const tracer = Tracer.make({
    context: (f) => f(),
    span: (name, parent, context, links, startTime, kind) => {
      const recorded = { name, kind, attributes: new Map<string, unknown>(), ended: false }
      spans.push(recorded)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: String(spans.length),
        traceId: "trace",
        parent,
        context,
        links: [...links],
        sampled: true,
        kind,
        attributes: recorded.attributes,
        status: { _tag: "Started", startTime },
        end: () => {
          recorded.ended = true
        },
        attribute: (key, value) => void recorded.attributes.set(key, value),
        event: () => {},
        addLinks: () => {}
      }
      return span
    }
  })
  return { spans, tracer }
}

describe("tracing", () => {
  it("one OneRouteQueue.job span per job with the campaign, key and transition, and no personal data", async () => {
    const { spans, tracer } = recordingTracer()
    const campaigns = makeCampaigns({ redis: servers.redis.url, queueName: "traced", durability: "best-effort" })
    try {
      openWindows(servers.emulator, 3)
      // In order: the first request is accepted and its connection dropped (parked), the second
      // is refused with a 429 (released, then sent), the rest are sent.
      servers.emulator.inject({ kind: "reset", when: "after-accept" })
      servers.emulator.inject({ kind: "rate-limit", retryAfter: 0 })
      const worker = campaigns.worker({
        concurrency: 1,
        baseUrl: servers.emulator.url,
        apiKey: servers.emulator.apiKey,
        handleSignals: false,
        tracer
      })
      await campaigns.enqueue({
        campaignId: "traced-1",
        from: BUSINESS,
        recipients: [
          { key: "order-0", to: customer(0), message: "Secret text 0" },
          { key: "order-1", to: customer(1), message: "Secret text 1" },
          { to: customer(2), message: "Secret text 2" }
        ]
      })
      await eventually(async () => (await campaigns.progress("traced-1")).pending === 0, 30_000, "traced-1 to settle")
      await worker.close()

      const jobs = spans.filter((span) => span.name === "OneRouteQueue.job")
      expect(jobs).toHaveLength(spans.length)
      expect(jobs.every((span) => span.ended && span.kind === "consumer")).toBe(true)
      const summary = jobs.map((span) => [
        span.attributes.get("oneroute.message.key"),
        span.attributes.get("oneroute.ledger.transition"),
        span.attributes.get("oneroute.error.tag"),
        span.attributes.get("oneroute.job.attempt")
      ])
      // The 429 went back to waiting through BullMQ's RateLimitError, which the span rethrew as
      // it was: the retry is still the first attempt.
      expect(summary).toEqual([
        ["order-0", "parked", "NetworkError", 1],
        ["order-1", "released", "RateLimitedError", 1],
        ["order-1", "sent", undefined, 1],
        [undefined, "sent", undefined, 1]
      ])
      for (const span of jobs) {
        expect(span.attributes.get("oneroute.campaign.id")).toBe("traced-1")
        expect(span.attributes.get("messaging.system")).toBe("bullmq")
        expect(span.attributes.get("messaging.destination.name")).toBe("traced")
      }
      const exported = JSON.stringify(jobs.map((span) => [span.name, [...span.attributes]]))
      for (const i of [0, 1, 2]) {
        expect(exported).not.toContain(customer(i))
        expect(exported).not.toContain(customer(i).slice(3))
        expect(exported).not.toContain(`Secret text ${i}`)
      }
      expect(exported).not.toContain(servers.emulator.apiKey)
    } finally {
      await campaigns.close()
    }
  })
})
