/** The relay forwards template messages by path, with their own schema and `from` allow-list check. */
import { afterEach, describe, expect, it } from "vitest"
import { InvalidInputError } from "../src/effect.js"
import { answer, fetchClient, fetchRelay, rejectionOf, startServer, type TestServer } from "./httpServer.js"

let upstream: TestServer | undefined
let relayServer: TestServer | undefined
afterEach(async () => {
  await relayServer?.close()
  await upstream?.close()
  relayServer = upstream = undefined
})

const TEMPLATE = { name: "order_update", parameters: [{ type: "text", text: "Ada" }] } as const
const twoEntries = JSON.stringify({
  data: [
    { status: "success", response: "wa-1" },
    { status: "failed", response: "Template is not approved" }
  ],
  message: "Message sent to customer",
  success: true
})

/** A relay for `2348000000001` in front of `upstream`, served on node:http by a small bridge. */
const startRelay = async () => {
  upstream = await startServer((_, res) => answer(res, 200, twoEntries))
  const relay = fetchRelay(
    {
      allowedFrom: ["2348000000001"],
      authorize: () => true,
      publicUrl: "http://127.0.0.1",
      endpoints: { sendSessionMessage: true, sendTemplateMessage: true }
    },
    { apiKey: "secret-key", baseUrl: upstream.url, retry: false }
  )
  relayServer = await startServer(async (req, res, seen) => {
    const response = await relay(
      new Request(`http://127.0.0.1${req.url}`, {
        method: req.method ?? "POST",
        headers: req.headers as Record<string, string>,
        body: seen.body
      })
    )
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text())
  })
  return { relay, client: fetchClient({ relayUrl: `${relayServer.url}/oneroute` }) }
}

describe("the relay and template messages", () => {
  it("forwards to …/template with the key and answers with the per-recipient outcomes", async () => {
    const { relay, client } = await startRelay()
    try {
      const result = await client.sendTemplateMessage({
        from: "+234 800 000 0001",
        messages: [
          { to: "2348012345678", template: TEMPLATE },
          { to: "2348012345679", template: TEMPLATE }
        ]
      })
      expect(result.outcomes).toEqual([
        { to: "2348012345678", status: "sent", messageId: "wa-1" },
        { to: "2348012345679", status: "failed", serverStatus: "failed", detail: "Template is not approved" }
      ])
      expect(relayServer?.requests[0]?.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/)
      expect(upstream?.requests).toHaveLength(1)
      expect(upstream?.requests[0]?.headers.apikey).toBe("secret-key")
      expect(JSON.parse(upstream?.requests[0]?.body ?? "").from).toBe("2348000000001")
    } finally {
      await client.close()
      await relay.close()
    }
  })

  it("refuses a from it does not allow, and invalid input, before sending anything", async () => {
    const { relay } = await startRelay()
    const post = (body: unknown) =>
      fetch(`${relayServer?.url}/oneroute/api/public/conversation/template`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body)
      })
    try {
      const notAllowed = await post({ from: "2348099999999", messages: [{ to: "2348012345678", template: TEMPLATE }] })
      expect(notAllowed.status).toBe(403)
      const refusal = ((await notAllowed.json()) as { error: unknown }).error
      expect(refusal).toMatchObject({ _tag: "RejectedError", reason: "relay-from-not-allowed", refusedBy: "relay" })
      const invalid = await post({
        from: "2348000000001",
        messages: [{ to: "2348012345678", template: { name: "X" } }]
      })
      expect(invalid.status).toBe(400)
      const issues = ((await invalid.json()) as { error: InvalidInputError }).error.issues
      expect(issues.map((issue) => issue.path.join(".")).sort()).toEqual([
        "messages.0.template.name",
        "messages.0.template.parameters"
      ])
      // The session message's body on the template path is the template's schema's business.
      const sessionBody = await post({ from: "2348000000001", to: "2348012345678", message: "hi" })
      expect(sessionBody.status).toBe(400)
      expect(upstream?.requests).toHaveLength(0)
    } finally {
      await relay.close()
    }
  })

  it("a relay client gets UnexpectedResponseError when the entry count differs", async () => {
    const { relay, client } = await startRelay()
    try {
      const error = await rejectionOf(
        client.sendTemplateMessage({ from: "2348000000001", messages: [{ to: "2348012345678", template: TEMPLATE }] })
      )
      expect(error).toMatchObject({ _tag: "UnexpectedResponseError", sendOutcome: "unknown" })
      expect(error).not.toBeInstanceOf(InvalidInputError)
    } finally {
      await client.close()
      await relay.close()
    }
  })
})
