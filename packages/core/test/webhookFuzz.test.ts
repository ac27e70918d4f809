/**
 * 10,000 adversarial deliveries (seeded, so a failure replays): signatures of every wrong length
 * and case, bodies one byte off, other secrets, huge bodies (declared and streamed), deep bodies,
 * slow uploads in small chunks, repeats. What each should get is decided independently of the SDK
 * (node:crypto computes both of OneRoute's recipes): no delivery crashes the handler, no event is
 * accepted without a valid signature, each signed event runs `onEvent` once, and the heap is
 * measured before and after.
 */
import { createHash } from "node:crypto"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type WebhookEvent, webhookHandler } from "../src/index.js"
import { documentedNewMessage, SECRET, sign } from "./webhookSupport.js"

const DELIVERIES = 10_000
const MAX_BODY_BYTES = 64 * 1024
const CONCURRENCY = 64
const RECENT = 256

setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

/** The JavaScript heap plus buffers outside it (request bodies), after collecting garbage. */
const memoryAfterGc = (): number => {
  gc()
  gc()
  const { heapUsed, external } = process.memoryUsage()
  return heapUsed + external
}

const KINDS = [
  "raw",
  "canonical",
  "case",
  "wrong-length",
  "not-hex",
  "one-byte",
  "other-secret",
  "missing",
  "huge",
  "deep",
  "repeat"
] as const

const plan = fc.record({
  kind: fc.constantFrom(...KINDS),
  pretty: fc.boolean(),
  length: fc.nat({ max: 300 }),
  position: fc.nat(),
  byte: fc.nat({ max: 255 }),
  caseMask: fc.array(fc.boolean(), { minLength: 128, maxLength: 128 }),
  depth: fc.integer({ min: 60, max: 10_000 }),
  size: fc.integer({ min: MAX_BODY_BYTES + 1, max: 4 * MAX_BODY_BYTES }),
  declareLength: fc.boolean(),
  slow: fc.nat({ max: 19 }),
  chunk: fc.integer({ min: 1, max: 4096 })
})
type Plan = typeof plan extends fc.Arbitrary<infer A> ? A : never

interface Delivery {
  readonly body: Uint8Array
  readonly signature: string | undefined
  readonly declareLength: boolean
  /** Upload in chunks of this size, a timer tick apart; `undefined` for all at once. */
  readonly chunk: number | undefined
}

const encoder = new TextEncoder()

/** What the handler must answer, decided with node:crypto alone. */
const expectedStatus = (delivery: Delivery): number => {
  if (delivery.body.byteLength > MAX_BODY_BYTES) return 413
  const { signature } = delivery
  if (signature === undefined || !/^[0-9a-fA-F]{128}$/.test(signature)) return 401
  const text = new TextDecoder().decode(delivery.body)
  let canonical: string | undefined
  let json: unknown
  try {
    json = JSON.parse(text)
    // OneRoute's recipe only where the SDK reads the body at all: 64 levels at most.
    canonical = depthOf(json) <= 64 ? JSON.stringify(json) : undefined
  } catch {
    canonical = undefined
  }
  const wanted = signature.toLowerCase()
  const valid = sign(delivery.body) === wanted || (canonical !== undefined && sign(canonical) === wanted)
  if (!valid) return 401
  if (canonical === undefined || typeof json !== "object" || json === null || Array.isArray(json)) return 400
  return 200
}

const build = (plan: Plan, index: number, earlier: ReadonlyArray<Delivery>): Delivery => {
  const event = documentedNewMessage({ content: `fuzz message ${index} ✓` })
  const text = plan.pretty ? JSON.stringify(event, null, 2) : JSON.stringify(event)
  const body = encoder.encode(text)
  const base = { body, declareLength: plan.declareLength, chunk: undefined }
  const good = sign(body)
  switch (plan.kind) {
    case "raw":
      return { ...base, signature: good }
    case "canonical":
      return { ...base, signature: sign(JSON.stringify(JSON.parse(text))) }
    case "case":
      return { ...base, signature: [...good].map((c, at) => (plan.caseMask[at] ? c.toUpperCase() : c)).join("") }
    case "wrong-length": {
      const length = plan.length === 128 ? 129 : plan.length
      return { ...base, signature: good.repeat(3).slice(0, length) }
    }
    case "not-hex": {
      const at = plan.position % 128
      return { ...base, signature: `${good.slice(0, at)}${"gxyz-+ /"[plan.byte % 8]}${good.slice(at + 1)}` }
    }
    case "one-byte": {
      const changed = body.slice()
      const at = plan.position % changed.length
      changed[at] = (changed[at]! + 1 + (plan.byte % 255)) % 256
      return { ...base, body: changed, signature: good }
    }
    case "other-secret":
      return { ...base, signature: sign(body, `${SECRET}-rotated-away`) }
    case "missing":
      return { ...base, signature: undefined }
    case "huge": {
      const huge = encoder.encode(JSON.stringify({ event: "newMessage", padding: "x".repeat(plan.size) }))
      return { ...base, body: huge, signature: sign(huge) }
    }
    case "deep": {
      const deep = encoder.encode(`{"event":"newMessage","x":${"[".repeat(plan.depth)}${"]".repeat(plan.depth)}}`)
      return { ...base, body: deep, signature: plan.byte % 2 === 0 ? sign(deep) : sign(body) }
    }
    case "repeat":
      return earlier[plan.position % Math.max(1, earlier.length)] ?? { ...base, signature: good }
  }
}

/** One delivery in twenty is a slow upload: at most 32 chunks, a timer tick apart. */
const paced = (plan: Plan, delivery: Delivery): Delivery =>
  plan.slow === 0 ? { ...delivery, chunk: Math.max(plan.chunk, Math.ceil(delivery.body.byteLength / 32)) } : delivery

/** How deep `value` nests arrays and objects (walked without recursion: it may be 20,000 deep). */
const depthOf = (value: unknown): number => {
  let deepest = 0
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [next, depth] = stack.pop()!
    if (typeof next !== "object" || next === null) continue
    deepest = Math.max(deepest, depth + 1)
    for (const child of Object.values(next)) stack.push([child, depth + 1])
  }
  return deepest
}

const requestOf = (delivery: Delivery): Request => {
  const headers = new Headers({ "content-type": "application/json" })
  if (delivery.signature !== undefined) headers.set("x-oneroute-signature", delivery.signature)
  if (delivery.declareLength) headers.set("content-length", String(delivery.body.byteLength))
  const { chunk } = delivery
  if (chunk === undefined) {
    return new Request("http://127.0.0.1/webhooks", { method: "POST", headers, body: delivery.body.slice() })
  }
  let offset = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 1))
      if (offset >= delivery.body.byteLength) return controller.close()
      controller.enqueue(delivery.body.slice(offset, offset + chunk))
      offset += chunk
    }
  })
  return new Request("http://127.0.0.1/webhooks", { method: "POST", headers, body, duplex: "half" } as RequestInit)
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex")

describe("webhookHandler under 10,000 adversarial deliveries", () => {
  it("never crashes, accepts no unsigned event, runs each signed event once, keeps memory bounded", async () => {
    const accepted = new Map<string, number>()
    const handler = webhookHandler({
      secret: [SECRET],
      maxBodyBytes: MAX_BODY_BYTES,
      onEvent: (event: WebhookEvent) => {
        const key = digest(JSON.stringify(event.payload))
        accepted.set(key, (accepted.get(key) ?? 0) + 1)
      }
    })
    const plans = fc.sample(plan, { seed: 20261206, numRuns: DELIVERIES })

    // Warm up (the store runner loads on the first delivery), then measure.
    await handler(
      requestOf({ body: encoder.encode("{}"), signature: sign("{}"), declareLength: false, chunk: undefined })
    )
    accepted.clear()
    const heapBefore = memoryAfterGc()

    const statuses = new Map<number, number>()
    const signedEvents = new Set<string>()
    let crashes = 0
    let wrongAnswers = 0
    const deliver = async (delivery: Delivery) => {
      const expected = expectedStatus(delivery)
      if (expected === 200)
        signedEvents.add(digest(JSON.stringify(JSON.parse(new TextDecoder().decode(delivery.body)))))
      try {
        const response = await handler(requestOf(delivery))
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        if (response.status !== expected) wrongAnswers++
      } catch {
        crashes++
      }
    }
    // CONCURRENCY deliveries in flight at once, each built when its turn comes.
    let next = 0
    const delivered: Array<Delivery> = []
    const worker = async () => {
      while (next < plans.length) {
        const index = next++
        const plan = plans[index]!
        const delivery = paced(plan, build(plan, index, delivered))
        // Repeats come from the last RECENT deliveries: the test itself holds no more than that.
        delivered[index % RECENT] = delivery
        await deliver(delivery)
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const heapAfter = memoryAfterGc()
    const growthMiB = (heapAfter - heapBefore) / 1024 / 1024
    console.info(
      `webhook fuzz: ${DELIVERIES} deliveries, answers ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `${crashes} crashes, ${accepted.size} events accepted (${signedEvents.size} signed), ` +
        `heap + external ${(heapBefore / 1024 / 1024).toFixed(1)} → ${(heapAfter / 1024 / 1024).toFixed(1)} MiB (${growthMiB.toFixed(1)} MiB)`
    )

    expect(crashes).toBe(0)
    expect(wrongAnswers).toBe(0)
    for (const [key, runs] of accepted) {
      expect(signedEvents.has(key), "an event accepted without a valid signature").toBe(true)
      expect(runs, "onEvent ran twice for one event").toBe(1)
    }
    expect(accepted.size).toBe(signedEvents.size)
    // Every kind of answer was exercised.
    for (const status of [200, 400, 401, 413]) expect(statuses.get(status) ?? 0, String(status)).toBeGreaterThan(50)
    // The delivery store holds at most ~550 bytes per signed event; nothing else may stay.
    expect(growthMiB).toBeLessThan(32)
    // 6-8 s alone; over 60 s beside the other suites of CI on 2 cores: only a hang may reach this.
  }, 600_000)
})
