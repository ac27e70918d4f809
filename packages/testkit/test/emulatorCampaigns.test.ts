/** The emulator's campaign endpoint: accepted for later sending, delivered on the emulator clock. */
import fc from "fast-check"
import { describe, expect, it, vi } from "vitest"
import { CAMPAIGN_PATH, connectEmulator, type Emulator, EmulatorLimitError, TEMPLATE_PATH } from "../src/index.js"
import { createCore } from "../src/internal/emulator/state.js"
import { BUSINESS, CUSTOMER, start } from "./helpers.js"

const post = (emulator: Emulator, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { apiKey: emulator.apiKey, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body)
  })

const postCampaign = (emulator: Emulator, body: unknown, headers?: Record<string, string>) =>
  post(emulator, CAMPAIGN_PATH, body, headers)

const message = (to: string, identifier: string | undefined, name = "order_update", texts = ["Ada", "#1"]) => ({
  to,
  template: { name, parameters: texts.map((text) => ({ type: "text", text })) },
  ...(identifier === undefined ? {} : { identifier })
})

/** `n` valid messages to distinct customers, identifiers `m0`…. */
const messages = (n: number, prefix = "m") =>
  Array.from({ length: n }, (_, i) => message(`23480${String(10_000_000 + i)}`, `${prefix}${i}`))

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const accept = async (emulator: Emulator, body: unknown): Promise<string> => {
  const response = await postCampaign(emulator, body)
  expect(response.status).toBe(201)
  return ((await response.json()) as { data: { campaign_id: string } }).data.campaign_id
}

describe("the campaign endpoint", () => {
  it("answers the documented 201 and records the campaign as pending, sending nothing yet", async () => {
    const emulator = await start({ now: new Date("2030-01-02T03:04:05.000Z") })
    const response = await postCampaign(emulator, {
      from: BUSINESS,
      messages: [
        { ...message(CUSTOMER, "order-1042"), save: true, metadata: { order: 1042 } },
        message("2348012345602", undefined, "hello_world", [])
      ]
    })
    expect(response.status).toBe(201)
    const text = await response.text()
    const campaignId = (JSON.parse(text) as { data: { campaign_id: string } }).data.campaign_id
    expect(campaignId).toMatch(UUID)
    expect(text).toBe(`{"data":{"campaign_id":"${campaignId}"},"message":"Data received","success":true}`)
    const [campaign] = emulator.campaigns()
    expect(campaign).toMatchObject({ id: campaignId, from: BUSINESS })
    expect(campaign?.dueAt.getTime()).toBe((campaign?.acceptedAt.getTime() ?? 0) + 5_000)
    expect(campaign?.deliveredAt).toBeUndefined()
    expect(campaign?.messages).toEqual([
      {
        identifier: "order-1042",
        identifierSource: "caller",
        to: CUSTOMER,
        template: { name: "order_update", parameters: ["Ada", "#1"], buttons: [] },
        save: true,
        metadata: { order: 1042 },
        status: "pending"
      },
      {
        identifier: expect.stringMatching(UUID),
        identifierSource: "emulator",
        to: "2348012345602",
        template: { name: "hello_world", parameters: [], buttons: [] },
        status: "pending"
      }
    ])
    expect(Object.isFrozen(campaign)).toBe(true)
    expect(emulator.sentTemplates()).toEqual([])
    expect(emulator.requests()).toBe(1)
  })

  it("delivers when the clock passes the delay: each message sent or failed at delivery time, by identifier", async () => {
    const emulator = await start({ campaignDelayMs: 60_000 })
    await accept(emulator, {
      from: BUSINESS,
      messages: [
        message("2348012345601", "ok"),
        message("2348012345602", "unknown", "no_such_template", []),
        message("2348012345603", "short", "order_update", ["only one"]),
        message("2348012345604", "later", "registered_later", [])
      ]
    })
    // Registered after the 201 and before delivery: the template is looked up when the message is sent.
    emulator.registerTemplate({ channel: BUSINESS, name: "registered_later", parameters: 0 })
    emulator.clock.advance(59_000)
    expect(emulator.campaigns()[0]?.messages.map((m) => m.status)).toEqual(["pending", "pending", "pending", "pending"])
    emulator.clock.advance(1_000)
    const [campaign] = emulator.campaigns()
    expect(campaign?.deliveredAt).toEqual(expect.any(Date))
    const byIdentifier = new Map(campaign?.messages.map((m) => [m.identifier, m]))
    expect(byIdentifier.get("ok")).toMatchObject({ status: "sent", sentAt: campaign?.deliveredAt })
    expect(byIdentifier.get("ok")?.id).toMatch(/^[A-Za-z0-9]{28}$/)
    expect(byIdentifier.get("unknown")).toMatchObject({
      status: "failed",
      reason: 'Template "no_such_template" is not registered on channel 2348000000001',
      failedAt: campaign?.deliveredAt
    })
    expect(byIdentifier.get("short")).toMatchObject({
      status: "failed",
      reason: 'Template "order_update" expects 2 parameters, got 1'
    })
    expect(byIdentifier.get("later")?.status).toBe("sent")
    expect(emulator.deliverCampaigns()).toEqual([])
  })

  it("delivers on a real timer once the delay has passed, and deliverCampaigns() delivers at once", async () => {
    const emulator = await start({ campaignDelayMs: 50 })
    await accept(emulator, { from: BUSINESS, messages: messages(2) })
    await vi.waitFor(() => expect(emulator.campaigns()[0]?.messages[1]?.status).toBe("sent"), {
      timeout: 30_000,
      interval: 20
    })
    const later = await start({ campaignDelayMs: 86_400_000 })
    const id = await accept(later, { from: BUSINESS, messages: messages(1) })
    const delivered = later.deliverCampaigns()
    expect(delivered.map((c) => c.id)).toEqual([id])
    expect(delivered[0]?.messages[0]?.status).toBe("sent")
    expect(later.campaigns()[0]?.messages[0]?.status).toBe("sent")
  })

  it("setting the clock past the due time delivers; moving it back does not undo a delivery", async () => {
    const emulator = await start({ now: new Date("2030-01-01T00:00:00Z") })
    await accept(emulator, { from: BUSINESS, messages: messages(1) })
    emulator.clock.set(new Date("2030-01-01T01:00:00Z"))
    expect(emulator.campaigns()[0]?.messages[0]?.status).toBe("sent")
    emulator.clock.set(new Date("2029-01-01T00:00:00Z"))
    expect(emulator.campaigns()[0]?.messages[0]?.status).toBe("sent")
  })

  it("refuses bad identifiers and duplicates within a campaign; the same identifier in two campaigns is accepted", async () => {
    const emulator = await start()
    const cases: Array<[unknown, string]> = [
      [[message(CUSTOMER, "a"), { ...message(CUSTOMER, "b"), identifier: 7 }], '"identifier" must be a string'],
      [[message(CUSTOMER, "")], '"identifier" is not allowed to be empty'],
      [[message(CUSTOMER, "x".repeat(257))], '"identifier" length must be less than or equal to 256 characters long'],
      [
        [message(CUSTOMER, "a"), message("2348012345602", "b"), message("2348012345603", "a")],
        '"messages[2]" contains a duplicate value (the identifier of messages[0])'
      ]
    ]
    for (const [list, text] of cases) {
      const response = await postCampaign(emulator, { from: BUSINESS, messages: list })
      expect(response.status).toBe(400)
      expect(await response.text()).toBe(JSON.stringify({ data: null, success: false, message: text }))
    }
    expect(emulator.campaigns()).toEqual([])
    await accept(emulator, { from: BUSINESS, messages: [message(CUSTOMER, "x".repeat(256))] })
    const first = await accept(emulator, { from: BUSINESS, messages: [message(CUSTOMER, "same")] })
    const second = await accept(emulator, { from: BUSINESS, messages: [message(CUSTOMER, "same")] })
    expect(first).not.toBe(second)
    expect(emulator.campaigns().map((c) => c.messages[0]?.identifier)).toEqual(["x".repeat(256), "same", "same"])
  })

  it("validates exactly like the template endpoint (one reader): the same status and body for the same bad input", async () => {
    const emulator = await start()
    const bodies: Array<unknown> = [
      "{not json",
      "[]",
      "null",
      {},
      { from: BUSINESS },
      { from: 2348000000001, messages: [] },
      { from: BUSINESS, messages: "all" },
      { from: BUSINESS, messages: [] },
      { from: BUSINESS, messages: [7] },
      { from: BUSINESS, messages: [{ template: { name: "hello_world", parameters: [] } }] },
      { from: BUSINESS, messages: [{ to: CUSTOMER }] },
      { from: BUSINESS, messages: [{ to: CUSTOMER, template: [] }] },
      { from: BUSINESS, messages: [{ to: CUSTOMER, template: { parameters: [] } }] },
      { from: BUSINESS, messages: [{ to: CUSTOMER, template: { name: "hello_world" } }] },
      { from: BUSINESS, messages: [{ to: CUSTOMER, template: { name: "x", parameters: [{ type: "image" }] } }] },
      { from: BUSINESS, messages: [{ to: CUSTOMER, template: { name: "x", parameters: [{ type: "text" }] } }] },
      { from: BUSINESS, messages: [{ to: CUSTOMER, template: { name: "x", parameters: [], buttons: {} } }] },
      { from: BUSINESS, messages: [{ ...message(CUSTOMER, undefined), save: "yes" }] },
      { from: BUSINESS, messages: [{ ...message(CUSTOMER, undefined), metadata: [] }] },
      { from: "+2348000000001", messages: [message(CUSTOMER, undefined)] },
      { from: BUSINESS, messages: [message("0801", undefined)] },
      { from: "2348000000009", messages: [message(CUSTOMER, undefined)] }
    ]
    for (const body of bodies) {
      const campaign = await postCampaign(emulator, body)
      const template = await post(emulator, TEMPLATE_PATH, body)
      expect(campaign.status, JSON.stringify(body)).toBe(template.status)
      expect(await campaign.text()).toBe(await template.text())
    }
    for (const [headers, status] of [
      [{ apiKey: "wrong" }, 401],
      [{ "content-type": "text/plain" }, 415]
    ] as const) {
      const campaign = await postCampaign(emulator, { from: BUSINESS, messages: messages(1) }, headers)
      expect(campaign.status).toBe(status)
    }
    const get = await fetch(`${emulator.url}${CAMPAIGN_PATH}`, { headers: { apiKey: emulator.apiKey } })
    expect(get.status).toBe(405)
    expect(get.headers.get("allow")).toBe("POST, OPTIONS")
    expect(emulator.campaigns()).toEqual([])
  })

  it("fuzz: a near-valid body gets the template endpoint's answer (201 for its 200), never a 500", async () => {
    const emulator = await start()
    const json = fc.jsonValue({ maxDepth: 3 })
    const body = fc.record(
      {
        from: fc.oneof(fc.constant(BUSINESS), json),
        messages: fc.oneof(
          fc.array(
            fc.record(
              {
                to: fc.oneof(fc.constant(CUSTOMER), json),
                template: fc.oneof(
                  fc.record({
                    name: fc.oneof(fc.constantFrom("hello_world", "order_update"), json),
                    parameters: fc.oneof(fc.array(fc.record({ type: fc.constant("text"), text: fc.string() })), json)
                  }),
                  json
                ),
                save: fc.oneof(fc.boolean(), json),
                metadata: json
              },
              { requiredKeys: [] }
            ),
            { maxLength: 3 }
          ),
          json
        )
      },
      { requiredKeys: [] }
    )
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        const campaign = await postCampaign(emulator, input)
        const template = await post(emulator, TEMPLATE_PATH, input)
        expect(campaign.status).toBe(template.status === 200 ? 201 : template.status)
        const answer = (await campaign.json()) as { success: boolean; message: string }
        const expected = (await template.json()) as { success: boolean; message: string }
        expect(answer.success).toBe(expected.success)
        if (!expected.success) expect(answer.message).toBe(expected.message)
      }),
      { numRuns: 120 }
    )
  })

  it("is bounded: at most 10,000 messages a campaign (400), 4 MiB a body (413), 100,000 messages remembered (409)", async () => {
    const emulator = await start()
    const tooMany = await postCampaign(emulator, { from: BUSINESS, messages: messages(10_001) })
    expect(tooMany.status).toBe(400)
    expect(((await tooMany.json()) as { message: string }).message).toBe(
      '"messages" must contain less than or equal to 10000 items'
    )
    const huge = await postCampaign(emulator, {
      from: BUSINESS,
      messages: [{ ...message(CUSTOMER, "a"), metadata: { pad: "x".repeat(4 * 1024 * 1024) } }]
    })
    expect(huge.status).toBe(413)
    for (let i = 0; i < 10; i++) await accept(emulator, { from: BUSINESS, messages: messages(10_000) })
    const full = await postCampaign(emulator, { from: BUSINESS, messages: messages(1) })
    expect(full.status).toBe(409)
    expect(await full.json()).toEqual({
      data: { limit: "campaign-messages", max: 100_000 },
      message: "at most 100000 campaign messages are remembered; reset() forgets them",
      success: false
    })
    expect(emulator.campaigns()).toHaveLength(10)
    emulator.reset()
    expect(emulator.campaigns()).toEqual([])
    await accept(emulator, { from: BUSINESS, messages: messages(1) })
  })

  it("bounds the characters remembered: EmulatorLimitError campaign-bytes, nothing recorded", () => {
    const core = createCore()
    const pad = "x".repeat(1024 * 1024)
    const input = {
      identifier: "a",
      identifierSource: "caller" as const,
      to: CUSTOMER,
      template: { name: "hello_world", parameters: [], buttons: [] },
      metadata: { pad }
    }
    try {
      for (let i = 0; i < 63; i++) core.campaigns.accept(BUSINESS, [input])
      const error = (() => {
        try {
          core.campaigns.accept(BUSINESS, [input, input])
        } catch (caught) {
          return caught
        }
      })()
      expect(error).toBeInstanceOf(EmulatorLimitError)
      expect(error).toMatchObject({ _tag: "EmulatorLimitError", limit: "campaign-bytes", max: 64 * 1024 * 1024 })
      expect(core.campaigns.list()).toHaveLength(63)
    } finally {
      core.shutdown()
    }
  })

  it("shares the fault queue and the request count with the other send endpoints", async () => {
    const emulator = await start()
    emulator.inject({ kind: "status", status: 503 })
    emulator.inject({ kind: "malformed" })
    expect((await postCampaign(emulator, { from: BUSINESS, messages: messages(1) })).status).toBe(503)
    expect(emulator.campaigns()).toEqual([])
    const malformed = await postCampaign(emulator, { from: BUSINESS, messages: messages(1) })
    expect(malformed.status).toBe(201)
    expect(await malformed.text()).toMatch(/^<html>/)
    expect(emulator.campaigns()).toHaveLength(1)
    expect(emulator.requests()).toBe(2)
    const preflight = await fetch(`${emulator.url}${CAMPAIGN_PATH}`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173" }
    })
    expect(preflight.status).toBe(204)
    expect(emulator.requests()).toBe(2)
  })

  it("over the HTTP controls: campaigns, deliver-campaigns and a clock advance", async () => {
    const emulator = await start()
    const control = await connectEmulator(emulator.url)
    const first = await accept(emulator, { from: BUSINESS, messages: [message(CUSTOMER, "one", "no_such", [])] })
    const [listed] = await control.campaigns()
    expect(listed).toMatchObject({ id: first, from: BUSINESS, acceptedAt: expect.any(Date), dueAt: expect.any(Date) })
    const delivered = await control.deliverCampaigns()
    expect(delivered[0]?.messages[0]).toMatchObject({ identifier: "one", status: "failed", failedAt: expect.any(Date) })
    expect(await control.deliverCampaigns()).toEqual([])
    const second = await accept(emulator, { from: BUSINESS, messages: [message(CUSTOMER, "two")] })
    await control.advanceClock(5_000)
    const after = await control.campaigns()
    expect(after.find((c) => c.id === second)?.messages[0]).toMatchObject({ status: "sent", sentAt: expect.any(Date) })
    expect(after.find((c) => c.id === second)?.deliveredAt).toEqual(expect.any(Date))
    await control.reset()
    expect(await control.campaigns()).toEqual([])
  })
})
