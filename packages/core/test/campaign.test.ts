/**
 * The campaign endpoint's answer: only OneRoute's documented 201 envelope with a usable
 * `campaign_id` is a result, and it round-trips through the relay's encoding.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { CampaignRequest } from "../src/Campaign.js"
import { decodeCampaignAnswer, encodeCampaignAnswer, validCampaignRequest } from "../src/internal/campaignEndpoint.js"

const request = validCampaignRequest({
  from: "2348000000001",
  messages: [
    { to: "2348012345601", template: { name: "order_update", parameters: [] }, identifier: "a-1" },
    { to: "2348012345602", template: { name: "order_update", parameters: [] } }
  ]
}) as CampaignRequest

const documented = {
  data: { campaign_id: "868a4f7f-2c4e-4b1a-9d7e-0f3c5a6b7c8d" },
  message: "Data received",
  success: true
}

describe("the campaign answer", () => {
  it("the documented 201 is an accepted campaign with every message's identifier, in request order", () => {
    const accepted = decodeCampaignAnswer(documented, request)
    expect(accepted).toEqual({
      status: "accepted",
      campaignId: documented.data.campaign_id,
      message: "Data received",
      messages: request.messages.map(({ to, identifier }) => ({ to, identifier }))
    })
    expect(accepted?.messages[0]?.identifier).toBe("a-1")
  })

  it("anything but that envelope with a usable campaign_id is no result", () => {
    const misses: ReadonlyArray<unknown> = [
      null,
      [],
      "Data received",
      { ...documented, success: false },
      { ...documented, success: "true" },
      { ...documented, data: null },
      { ...documented, data: [] },
      { ...documented, data: {} },
      { ...documented, data: { campaign_id: "" } },
      { ...documented, data: { campaign_id: 42 } },
      { ...documented, data: { campaign_id: "x".repeat(201) } }
    ]
    for (const json of misses) expect(decodeCampaignAnswer(json, request), JSON.stringify(json)).toBeUndefined()
  })

  it("never throws, and what it decodes encodes back to the same result", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.record({ data: fc.anything(), message: fc.anything(), success: fc.anything() })),
        (json) => {
          const accepted = decodeCampaignAnswer(json, request)
          if (accepted !== undefined)
            expect(decodeCampaignAnswer(encodeCampaignAnswer(accepted), request)).toEqual(accepted)
        }
      ),
      { numRuns: 1000 }
    )
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.string(), (campaignId, message) => {
        const accepted = decodeCampaignAnswer({ data: { campaign_id: campaignId }, message, success: true }, request)
        expect(accepted?.campaignId).toBe(campaignId)
        expect(decodeCampaignAnswer(encodeCampaignAnswer(accepted!), request)).toEqual(accepted)
      }),
      { numRuns: 300 }
    )
  })

  it("generates a fresh identifier per send for a message left without one (a retry keeps it: see the conformance 429 case)", () => {
    const input = {
      from: "2348000000001",
      messages: [{ to: "2348012345601", template: { name: "a", parameters: [] } }]
    }
    const first = validCampaignRequest(input)?.messages[0]?.identifier
    const second = validCampaignRequest(input)?.messages[0]?.identifier
    expect(first).not.toBe(second)
  })
})
