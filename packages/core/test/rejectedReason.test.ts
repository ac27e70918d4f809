/**
 * `RejectedError.reason`: a machine-readable reason derived from what OneRoute answers,
 * `"unknown"` when the SDK cannot tell, surviving the relay's Schema encoding.
 */
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { RejectedError } from "../src/effect.js"
import { decodeError, encodeError } from "../src/internal/errorWire.js"
import { interpretAnswer as interpretWith } from "../src/internal/responses.js"
import { sessionMessage } from "../src/internal/sessionEndpoint.js"

/** The status table with the session message endpoint's success decoder. */
const interpretAnswer = (answer: Parameters<typeof interpretWith>[0]) =>
  interpretWith(answer, (json) => sessionMessage.decodeSuccess(json, undefined as never))

const reasonOf = (status: number, body: unknown, relayed = false) => {
  const result = interpretAnswer({
    status,
    body: typeof body === "string" ? body : JSON.stringify(body),
    retryAfter: undefined,
    now: 0,
    relayed
  })
  if (Either.isRight(result) || result.left._tag !== "RejectedError") throw new Error("expected a RejectedError")
  return result.left.reason
}
const envelope = (message: string) => ({ data: null, message, success: false })

describe("RejectedError.reason", () => {
  it.each([
    // The emulator's documented answers (packages/testkit/README.md).
    [
      422,
      "The 24-hour customer service window is closed: customer 2348012345678 has not sent a WhatsApp message to 2348000000001 in the last 24 hours. Session messages can only be sent within 24 hours of the customer's last message.",
      "window-closed"
    ],
    [403, "WhatsApp number 2348000000001 is not connected to a channel", "channel-not-connected"],
    [400, "Invalid WhatsApp number in to", "invalid-recipient"],
    [400, "Invalid WhatsApp number in from", "unknown"],
    [400, 'Missing required field "message"', "unknown"],
    [415, "Content-Type must be application/json", "unknown"],
    // Other wordings of the same facts, and other statuses.
    [400, "Customer service window has expired", "window-closed"],
    [400, "Outside the 24h session window: send a template to re-engage", "window-closed"],
    [404, "Channel not found", "channel-not-connected"],
    [400, "No channel connected for this number", "channel-not-connected"],
    [400, '"to" must be a valid phone number', "invalid-recipient"],
    [400, "Recipient is not a valid WhatsApp user", "invalid-recipient"],
    [400, '"template" is required', "unknown"],
    [400, "Something went wrong", "unknown"]
  ] as const)("%i %s → %s", (status, message, reason) => {
    expect(reasonOf(status, envelope(message))).toBe(reason)
  })

  it("is unknown without a server message (an HTML page), and read from a success: false envelope on a 2xx", () => {
    expect(reasonOf(404, "<html>Not Found</html>")).toBe("unknown")
    expect(reasonOf(200, envelope("The customer service window is closed"))).toBe("window-closed")
  })

  it("defaults to unknown when constructed without one, and survives the wire (the relay's encoding)", () => {
    expect(new RejectedError({ status: 422 }).reason).toBe("unknown")
    const error = new RejectedError({ status: 403, serverMessage: "no", reason: "relay-origin", refusedBy: "relay" })
    const wire = JSON.parse(JSON.stringify(encodeError(error))) as Record<string, unknown>
    expect(wire).toMatchObject({ reason: "relay-origin", refusedBy: "relay" })
    const decoded = decodeError(wire)
    expect(decoded).toBeInstanceOf(RejectedError)
    expect((decoded as RejectedError).reason).toBe("relay-origin")
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ reason: "relay-origin" })
  })

  it("a reason this version does not know, or none (an older relay), decodes as unknown", () => {
    const decode = decodeError
    const newer = decode({ _tag: "RejectedError", status: 400, reason: "some-future-reason", sendOutcome: "not-sent" })
    expect((newer as RejectedError).reason).toBe("unknown")
    const older = decode({ _tag: "RejectedError", status: 400, sendOutcome: "not-sent" })
    expect((older as RejectedError).reason).toBe("unknown")
  })

  it("comes through a relay's failure envelope with the relay's reason", () => {
    const relayed = {
      ...envelope("This page's origin may not use the relay"),
      error: {
        _tag: "RejectedError",
        status: 403,
        serverMessage: "This page's origin may not use the relay",
        reason: "relay-origin",
        refusedBy: "relay",
        sendOutcome: "not-sent"
      }
    }
    expect(reasonOf(403, relayed, true)).toBe("relay-origin")
  })
})
