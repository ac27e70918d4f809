/**
 * The conformance cases of template messages (`sendTemplateMessage`): the same four targets and
 * runtimes as the session message's, driven only through the cross-runtime `EmulatorControl`.
 */
import {
  InvalidApiKeyError,
  InvalidInputError,
  NetworkError,
  RejectedError,
  RequestTimeoutError,
  type TemplateMessageRequest,
  UnexpectedResponseError
} from "@oneroute/core"
import type { ConformanceCase } from "../../ConformanceSuite.js"
import { check, equal, rejection } from "./assertions.js"
import { withClient } from "./client.js"

/** The customers of the template cases; the business number is the emulator's first channel. */
const ADA = "2348012345601"
const BAYO = "2348012345602"
const CHIDI = "2348012345603"

type Recipient = TemplateMessageRequest.Encoded["messages"][number]

/** A recipient of `order_update` (a default template of two parameters). */
const orderUpdate = (to: string, texts: ReadonlyArray<string> = ["Ada", "#1042"]): Recipient => ({
  to,
  template: { name: "order_update", parameters: texts.map((text) => ({ type: "text", text })) }
})

/**
 * The template message cases, in a stable order.
 *
 * @since 0.2.0
 */
export const templateCases: ReadonlyArray<ConformanceCase> = [
  {
    name: "template: sends to every recipient, one sent outcome each in request order, with no open window",
    run: withClient({}, async ({ client, from }, emulator) => {
      await emulator.advanceClock(48 * 60 * 60 * 1000)
      const result = await client.sendTemplateMessage({
        from,
        messages: [
          orderUpdate(ADA),
          { to: BAYO, template: { name: "hello_world", parameters: [] }, save: true, metadata: { order: 1042 } }
        ]
      })
      equal(result.message, "Message sent to customer", "message")
      equal(result.outcomes.length, 2, "outcomes")
      const sent = await emulator.sentTemplates()
      equal(sent.length, 2, "template messages the emulator accepted")
      result.outcomes.forEach((outcome, index) => {
        equal(outcome.to, [ADA, BAYO][index], `outcomes[${index}].to`)
        equal(outcome.status, "sent", `outcomes[${index}].status`)
        equal(
          outcome.status === "sent" ? outcome.messageId : undefined,
          sent[index]?.id,
          `outcomes[${index}].messageId`
        )
      })
      equal(sent[0]?.template.parameters.join(","), "Ada,#1042", "parameters the emulator received")
      equal(sent[1]?.save, true, "save the emulator received")
      equal(JSON.stringify(sent[1]?.metadata), '{"order":1042}', "metadata the emulator received")
    })
  },
  {
    name: "template: normalises every recipient's number and from",
    run: withClient({}, async ({ client, from }, emulator) => {
      const result = await client.sendTemplateMessage({
        from: `+${from}`,
        messages: [orderUpdate("+234 801 234 5601"), orderUpdate("00234-801-234-5602")]
      })
      equal(result.outcomes.map((outcome) => outcome.to).join(","), `${ADA},${BAYO}`, "outcome numbers")
      const sent = await emulator.sentTemplates()
      equal(
        sent.map((message) => `${message.from}>${message.to}`).join(","),
        `${from}>${ADA},${from}>${BAYO}`,
        "numbers"
      )
    })
  },
  {
    name: "template: invalid input is InvalidInputError listing every issue, making no request",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      const error = await rejection(
        client.sendTemplateMessage({
          from,
          messages: [
            { to: "not a number", template: { name: "Order Update", parameters: [{ type: "text", text: " " }] } },
            orderUpdate(BAYO)
          ]
        }),
        InvalidInputError,
        "not-sent",
        apiKey
      )
      equal(
        error.issues
          .map((issue) => issue.path.join("."))
          .sort()
          .join(","),
        "messages.0.template.name,messages.0.template.parameters.0.text,messages.0.to",
        "issue paths"
      )
      const tooMany = await rejection(
        client.sendTemplateMessage({ from, messages: Array.from({ length: 101 }, () => orderUpdate(ADA)) }),
        InvalidInputError,
        "not-sent",
        apiKey
      )
      equal(tooMany.issues[0]?.path.join("."), "messages", "issue path of 101 recipients")
      await rejection(client.sendTemplateMessage({ from, messages: [] }), InvalidInputError, "not-sent", apiKey)
      equal(await emulator.requests(), 0, "requests the emulator received")
    })
  },
  {
    name: "template: an unknown template and a wrong parameter count fail only their recipients, with OneRoute's words",
    run: withClient({}, async ({ client, from }, emulator) => {
      await emulator.registerTemplate({ channel: from, name: "delivery_slot", parameters: 3 })
      const result = await client.sendTemplateMessage({
        from,
        messages: [
          orderUpdate(ADA),
          { to: BAYO, template: { name: "no_such_template", parameters: [] } },
          {
            to: CHIDI,
            template: { name: "delivery_slot", parameters: [{ type: "text", text: "Monday" }] }
          }
        ]
      })
      equal(result.outcomes.map((outcome) => outcome.status).join(","), "sent,failed,failed", "statuses")
      const [, unknown, wrongCount] = result.outcomes
      equal(unknown?.to, BAYO, "outcomes[1].to")
      equal(unknown?.status === "failed" ? unknown.serverStatus : undefined, "failed", "outcomes[1].serverStatus")
      const unknownDetail = unknown?.status === "failed" ? unknown.detail : ""
      check(/not registered/.test(unknownDetail), `the emulator's explanation, got ${unknownDetail}`)
      const countDetail = wrongCount?.status === "failed" ? wrongCount.detail : ""
      check(/expects 3 parameters, got 1/.test(countDetail), `the emulator's explanation, got ${countDetail}`)
      equal((await emulator.sentTemplates()).length, 1, "template messages accepted")
    })
  },
  {
    name: "template: a wrong API key is InvalidApiKeyError (not-sent)",
    run: async (target, emulator) => {
      const from = emulator.channels[0]?.number ?? ""
      const client = target.createClient({ apiKey: "wrong-key", baseUrl: emulator.url })
      try {
        const error = await rejection(
          client.sendTemplateMessage({ from, messages: [orderUpdate(ADA)] }),
          InvalidApiKeyError,
          "not-sent",
          "wrong-key"
        )
        equal(error.serverMessage, "Invalid API Key", "server message")
        equal((await emulator.sentTemplates()).length, 0, "template messages accepted")
      } finally {
        await client.close()
      }
    }
  },
  {
    name: "template: a 200 without one entry per recipient is UnexpectedResponseError (unknown), not retried",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({
        kind: "status",
        status: 200,
        body: JSON.stringify({
          data: [{ status: "success", response: "gBGHI0kFNWAgTwIJk-_rr1Kse2yO" }],
          message: "Message sent to customer",
          success: true
        }),
        contentType: "application/json"
      })
      const error = await rejection(
        client.sendTemplateMessage({ from, messages: [orderUpdate(ADA), orderUpdate(BAYO)] }),
        UnexpectedResponseError,
        "unknown",
        apiKey
      )
      equal(error.status, 200, "status")
      equal(await emulator.requests(), 1, "requests")
    })
  },
  {
    name: "template: a 429 is retried and the template is sent once",
    run: withClient({ retry: { baseDelay: 10 } }, async ({ client, from }, emulator) => {
      await emulator.inject({ kind: "rate-limit" })
      const result = await client.sendTemplateMessage({ from, messages: [orderUpdate(ADA)] })
      equal(result.outcomes[0]?.status, "sent", "status")
      equal(await emulator.requests(), 2, "requests")
      equal((await emulator.sentTemplates()).length, 1, "template messages accepted")
    })
  },
  {
    name: "template: a reset after the emulator accepted is NetworkError (unknown), not retried: exactly one copy",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "reset", when: "after-accept" })
      await rejection(
        client.sendTemplateMessage({ from, messages: [orderUpdate(ADA)] }),
        NetworkError,
        "unknown",
        apiKey
      )
      equal((await emulator.sentTemplates()).length, 1, "template messages accepted")
      equal(await emulator.requests(), 1, "requests")
    })
  },
  {
    name: "template: no answer within the timeout is RequestTimeoutError (unknown)",
    run: withClient({ timeout: 300 }, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "hang" })
      const error = await rejection(
        client.sendTemplateMessage({ from, messages: [orderUpdate(ADA)] }),
        RequestTimeoutError,
        "unknown",
        apiKey
      )
      equal(error.timeoutMs, 300, "timeoutMs")
      equal(await emulator.requests(), 1, "requests")
    })
  },
  {
    name: "template: the fallback: a closed window's session message is RejectedError window-closed, the template goes",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      const refused = await rejection(
        client.sendSessionMessage({ from, to: ADA, message: "Your order has shipped" }),
        RejectedError,
        "not-sent",
        apiKey
      )
      equal(refused.reason, "window-closed", "reason")
      const result = await client.sendTemplateMessage({ from, messages: [orderUpdate(ADA)] })
      equal(result.outcomes[0]?.status, "sent", "the template's outcome")
      equal((await emulator.sent()).length, 0, "session messages accepted")
      equal((await emulator.sentTemplates()).length, 1, "template messages accepted")
    })
  }
]
