/**
 * The conformance cases of campaigns (`sendCampaign`): accepted now, sent later by the emulator;
 * identifiers kept or generated once per send (a retry sends the same ones); the same four
 * targets and runtimes as the other endpoints, driven only through `EmulatorControl`.
 */
import {
  type CampaignRequest,
  InvalidApiKeyError,
  InvalidInputError,
  NetworkError,
  RequestTimeoutError
} from "@oneroute/core"
import type { ConformanceCase } from "../../ConformanceSuite.js"
import { check, equal, rejection } from "./assertions.js"
import { withClient } from "./client.js"

const ADA = "2348012345601"
const BAYO = "2348012345602"

type Message = CampaignRequest.Encoded["messages"][number]

/** A campaign message of `order_update` (a default template of two parameters). */
const orderUpdate = (to: string, identifier?: string): Message => ({
  to,
  template: {
    name: "order_update",
    parameters: [
      { type: "text", text: "Ada" },
      { type: "text", text: "#1042" }
    ]
  },
  ...(identifier === undefined ? {} : { identifier })
})

/** A UUID, as the SDK generates for a message without an identifier. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * The campaign cases, in a stable order.
 *
 * @since 0.4.0
 */
export const campaignCases: ReadonlyArray<ConformanceCase> = [
  {
    name: "campaign: accepted (not sent) with OneRoute's campaign id and every message's identifier; delivered later",
    run: withClient({}, async ({ client, from }, emulator) => {
      const accepted = await client.sendCampaign({
        from,
        messages: [orderUpdate(ADA, "order-1042-ada"), orderUpdate(BAYO)]
      })
      equal(accepted.status, "accepted", "status")
      const [campaign] = await emulator.campaigns()
      equal(accepted.campaignId, campaign?.id, "campaignId")
      equal(accepted.messages.map((message) => message.to).join(","), `${ADA},${BAYO}`, "numbers in request order")
      equal(accepted.messages[0]?.identifier, "order-1042-ada", "the caller's identifier")
      const generated = accepted.messages[1]?.identifier ?? ""
      check(UUID.test(generated), `a generated identifier is a UUID, got ${generated}`)
      equal(
        campaign?.messages.map((message) => `${message.identifier}:${message.status}`).join(","),
        `order-1042-ada:pending,${generated}:pending`,
        "what the emulator holds: the same identifiers, nothing sent yet"
      )
      const [delivered] = await emulator.deliverCampaigns()
      equal(delivered?.messages.map((message) => message.status).join(","), "sent,sent", "delivered later")
    })
  },
  {
    name: "campaign: invalid input is InvalidInputError (repeated identifiers too), making no request",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      const repeated = await rejection(
        client.sendCampaign({ from, messages: [orderUpdate(ADA, "same"), orderUpdate(BAYO, "same")] }),
        InvalidInputError,
        "not-sent",
        apiKey
      )
      equal(repeated.issues[0]?.path.join("."), "messages.1.identifier", "issue path of the repeated identifier")
      const blank = await rejection(
        client.sendCampaign({ from, messages: [orderUpdate(ADA, " ")] }),
        InvalidInputError,
        "not-sent",
        apiKey
      )
      equal(blank.issues[0]?.path.join("."), "messages.0.identifier", "issue path of a blank identifier")
      await rejection(client.sendCampaign({ from, messages: [] }), InvalidInputError, "not-sent", apiKey)
      equal(await emulator.requests(), 0, "requests the emulator received")
    })
  },
  {
    name: "campaign: a wrong API key is InvalidApiKeyError (not-sent)",
    run: async (target, emulator) => {
      const from = emulator.channels[0]?.number ?? ""
      const client = target.createClient({ apiKey: "wrong-key", baseUrl: emulator.url })
      try {
        await rejection(
          client.sendCampaign({ from, messages: [orderUpdate(ADA)] }),
          InvalidApiKeyError,
          "not-sent",
          "wrong-key"
        )
        equal((await emulator.campaigns()).length, 0, "campaigns accepted")
      } finally {
        await client.close()
      }
    }
  },
  {
    name: "campaign: a 429 is retried with the same generated identifiers, and the campaign is accepted once",
    run: withClient({ retry: { baseDelay: 10 } }, async ({ client, from }, emulator) => {
      await emulator.inject({ kind: "rate-limit" })
      const accepted = await client.sendCampaign({ from, messages: [orderUpdate(ADA)] })
      equal(await emulator.requests(), 2, "requests")
      const campaigns = await emulator.campaigns()
      equal(campaigns.length, 1, "campaigns accepted")
      equal(campaigns[0]?.messages[0]?.identifier, accepted.messages[0]?.identifier, "the identifier sent and answered")
    })
  },
  {
    name: "campaign: a reset after the emulator accepted is NetworkError (unknown), not retried: one campaign",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "reset", when: "after-accept" })
      await rejection(client.sendCampaign({ from, messages: [orderUpdate(ADA)] }), NetworkError, "unknown", apiKey)
      equal((await emulator.campaigns()).length, 1, "campaigns accepted")
      equal(await emulator.requests(), 1, "requests")
    })
  },
  {
    name: "campaign: no answer within the timeout is RequestTimeoutError (unknown)",
    run: withClient({ timeout: 300 }, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "hang" })
      await rejection(
        client.sendCampaign({ from, messages: [orderUpdate(ADA)] }),
        RequestTimeoutError,
        "unknown",
        apiKey
      )
      equal(await emulator.requests(), 1, "requests")
    })
  }
]
