import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { interpretAnswer as interpretWith, parseRetryAfter } from "../src/internal/responses.js"
import { sessionMessage } from "../src/internal/sessionEndpoint.js"
import { documentedSuccess } from "./fixtures.js"

/** The status table with the session message endpoint's success decoder. */
const interpretAnswer = (answer: Parameters<typeof interpretWith>[0]) =>
  interpretWith(answer, (json) => sessionMessage.decodeSuccess(json, undefined as never))

const answer = (status: number, body: unknown, retryAfter?: string) =>
  interpretAnswer({
    status,
    body: typeof body === "string" ? body : JSON.stringify(body),
    retryAfter,
    now: 0,
    relayed: false
  })

const failure = (result: ReturnType<typeof interpretAnswer>) => {
  if (Either.isRight(result)) throw new Error("expected a failure")
  return result.left
}

const html = "<html><body><h1>502 Bad Gateway</h1></body></html>"

describe("interpretAnswer: the status picks the class, the body adds detail", () => {
  it("2xx with the documented envelope succeeds", () => {
    const result = answer(200, documentedSuccess)
    expect(Either.isRight(result) && result.right.id).toBe(documentedSuccess.data.id)
  })

  it.each([
    [
      401,
      { data: null, message: "Invalid API Key", success: false },
      "InvalidApiKeyError",
      "not-sent",
      "Invalid API Key"
    ],
    [401, html, "InvalidApiKeyError", "not-sent", undefined],
    [429, "", "RateLimitedError", "not-sent", undefined],
    [422, { data: null, message: "window closed", success: false }, "RejectedError", "not-sent", "window closed"],
    [404, html, "RejectedError", "not-sent", undefined],
    [500, { message: "boom" }, "ServerError", "unknown", "boom"],
    [502, html, "ServerError", "unknown", undefined],
    // Below 400 nothing proves the POST was not carried out.
    [200, { data: null, message: "channel offline", success: false }, "RejectedError", "unknown", "channel offline"],
    [200, html, "UnexpectedResponseError", "unknown", undefined],
    [200, "", "UnexpectedResponseError", "unknown", undefined],
    [200, JSON.stringify(documentedSuccess).slice(0, 100), "UnexpectedResponseError", "unknown", undefined],
    [200, { data: { id: 1 }, success: true, message: "" }, "UnexpectedResponseError", "unknown", undefined],
    [302, "", "UnexpectedResponseError", "unknown", undefined],
    [303, html, "UnexpectedResponseError", "unknown", undefined],
    // Gateway answers that do not prove the upstream did nothing.
    [408, html, "RejectedError", "unknown", undefined],
    [409, { data: null, message: "conflict", success: false }, "RejectedError", "unknown", "conflict"],
    [499, "", "RejectedError", "unknown", undefined],
    // A refusal whose data shows a recipient sent is not proof for the batch.
    [
      400,
      { data: [{ status: "success", response: "wamid.1" }], message: "partial", success: false },
      "RejectedError",
      "unknown",
      "partial"
    ],
    [
      401,
      { data: { sent: 1 }, message: "Invalid API Key", success: false },
      "RejectedError",
      "unknown",
      "Invalid API Key"
    ],
    [400, { data: [], message: "bad", success: false }, "RejectedError", "not-sent", "bad"],
    [204, "", "UnexpectedResponseError", "unknown", undefined]
  ] as const)("%i %j → %s (%s)", (status, body, tag, outcome, serverMessage) => {
    const error = failure(answer(status, body))
    expect(error._tag).toBe(tag)
    expect(error.sendOutcome).toBe(outcome)
    expect("serverMessage" in error ? error.serverMessage : undefined).toBe(serverMessage)
  })

  it("keeps a short excerpt of a body it does not understand", () => {
    const error = failure(answer(200, "x".repeat(10_000)))
    expect(error._tag === "UnexpectedResponseError" && error.bodyExcerpt.length).toBe(200)
  })

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const error = failure(answer(429, "", "3"))
    expect(error._tag === "RateLimitedError" && error.retryAfter).toEqual(Duration.seconds(3))
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toEqual(Duration.millis(6_000))
    expect(parseRetryAfter("soon", 0)).toBeUndefined()
  })

  it("reads Retry-After only in RFC 9110's grammar: anything else is no header", () => {
    const now = Date.parse("Sun, 06 Nov 1994 08:49:30 GMT")
    for (const form of [
      "Sun, 06 Nov 1994 08:49:37 GMT",
      "Sunday, 06-Nov-94 08:49:37 GMT",
      "Sun Nov  6 08:49:37 1994"
    ]) {
      expect(parseRetryAfter(form, now), form).toEqual(Duration.millis(7_000))
    }
    expect(parseRetryAfter(" 120 ", 0)).toEqual(Duration.seconds(120))
    for (const hostile of ["-5", "1.5", "1, 2", "foo 2030", "+3", "0x10", "", "Sun, 06 Nov 1994", "3 seconds"]) {
      expect(parseRetryAfter(hostile, now), hostile).toBeUndefined()
    }
  })

  it("a body nested deeper than 64 levels is unreadable: typed, with the status's outcome", () => {
    const deep = `{"data":${"[".repeat(6_000)}${"]".repeat(6_000)},"message":"m","success":true}`
    const unexpected = failure(answer(200, deep))
    expect([unexpected._tag, unexpected.sendOutcome]).toEqual(["UnexpectedResponseError", "unknown"])
    const refused = failure(answer(400, `{"data":null,"message":"m","x":${"[".repeat(6_000)}${"]".repeat(6_000)}}`))
    expect([refused._tag, refused.sendOutcome]).toEqual(["RejectedError", "not-sent"])
  })

  it("a decoder that throws on a hostile answer gives UnexpectedResponseError (unknown), never a throw", () => {
    const result = interpretWith({ status: 200, body: "{}", retryAfter: undefined, now: 0, relayed: false }, () => {
      throw new RangeError("Maximum call stack size exceeded")
    })
    expect(Either.isLeft(result) && [result.left._tag, result.left.sendOutcome]).toEqual([
      "UnexpectedResponseError",
      "unknown"
    ])
  })

  it("property: any status and any body give a result, never a throw; 4xx/5xx never succeed", () => {
    const body = fc.oneof(fc.string(), fc.json(), fc.constant(JSON.stringify(documentedSuccess)))
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), body, (status, text) => {
        const result = interpretAnswer({ status, body: text, retryAfter: undefined, now: 0, relayed: false })
        if (status >= 400) expect(Either.isLeft(result)).toBe(true)
        if (Either.isRight(result)) expect(status >= 200 && status < 300).toBe(true)
        if (Either.isLeft(result) && status >= 500) expect(result.left._tag).toBe("ServerError")
      })
    )
  })

  it("takes the class a relay forwarded in `error`, but only from a relay", () => {
    const body = {
      data: null,
      message: "Invalid API Key",
      success: false,
      error: { _tag: "NetworkError", reason: "ECONNRESET", sendOutcome: "unknown" }
    }
    const fromRelay = interpretAnswer({
      status: 502,
      body: JSON.stringify(body),
      retryAfter: undefined,
      now: 0,
      relayed: true
    })
    expect(failure(fromRelay)._tag).toBe("NetworkError")
    const direct = interpretAnswer({
      status: 502,
      body: JSON.stringify(body),
      retryAfter: undefined,
      now: 0,
      relayed: false
    })
    expect(failure(direct)._tag).toBe("ServerError")
  })
})
