/**
 * Template messages: the request schema (accepts, normalises, refuses with every issue), the
 * answer's decoding (never "sent" for an entry that is not "success", never a result when the
 * entry count differs), the round trip through the relay's encoding, and the endpoint over HTTP.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import fc from "fast-check"
import { afterEach, describe, expect, it } from "vitest"
import {
  InvalidInputError,
  MAX_DETAIL_LENGTH,
  MAX_SERVER_STATUS_LENGTH,
  MAX_TEMPLATE_METADATA_BYTES,
  MAX_TEMPLATE_NAME_LENGTH,
  MAX_TEMPLATE_RECIPIENTS,
  MAX_TEMPLATE_TEXT_LENGTH,
  OneRoute,
  type TemplateMessageRequest,
  UnexpectedResponseError,
  validateTemplateMessageRequest
} from "../src/effect.js"
import { templateMessage } from "../src/internal/templateEndpoint.js"
import { validator } from "../src/internal/validation.js"
import { TemplateMessageRequest as TemplateSchema } from "../src/TemplateMessage.js"
import { answer, fetchClient, fetchLayer, rejectionOf, startServer, type TestServer } from "./httpServer.js"

const RUNS = { numRuns: 200 }

/** The schema's validator: what the endpoint answers for every input (property-tested in plainCodecs), synchronously. */
const validate = validator(TemplateSchema)
const issuesOf = (input: unknown): Array<string> =>
  Either.match(validate(input), {
    onLeft: (error) => error.issues.map((issue) => issue.path.join(".")).sort(),
    onRight: () => []
  })

const recipient = (to = "2348012345678", name = "order_update", texts: ReadonlyArray<string> = ["Ada", "#1234"]) => ({
  to,
  template: { name, parameters: texts.map((text) => ({ type: "text" as const, text })) }
})
const request = (...messages: ReadonlyArray<ReturnType<typeof recipient>>) => ({ from: "2348000000001", messages })

describe("TemplateMessageRequest", () => {
  it("accepts the documented example body and keeps save and metadata", () => {
    const documented = {
      messages: [
        {
          template: { name: "first_welcome_messsage", parameters: [{ type: "text", text: "Michael" }] },
          to: "2348012345678",
          save: true,
          metadata: { orderId: 7, tags: ["a"], nested: { ok: null } }
        }
      ],
      from: "2348000000001"
    }
    expect(Either.getOrThrow(validate(documented))).toEqual(documented)
  })

  it("normalises every number and drops unknown fields", () => {
    const decoded = Either.getOrThrow(
      validate({
        from: "+234 800 000 0001",
        extra: 1,
        messages: [
          { ...recipient("00234-801-234-5678"), unknown: true },
          { ...recipient("(234) 801.234.5679"), template: { name: "otp_code", parameters: [], buttons: [] } }
        ]
      })
    )
    expect(decoded).toEqual({
      from: "2348000000001",
      messages: [
        recipient("2348012345678"),
        { to: "2348012345679", template: { name: "otp_code", parameters: [], buttons: [] } }
      ]
    })
  })

  it("lists every issue with its path, and makes the Effect validator fail the same way", () => {
    const input = {
      from: "12",
      messages: [
        { to: "not a number", template: { name: "Order Update", parameters: [{ type: "text", text: "  " }] } },
        {
          to: "2348012345678",
          template: { name: "", parameters: [{ type: "image", text: "x" }], buttons: "no" },
          save: "yes",
          metadata: [1]
        },
        { to: "2348012345678" }
      ]
    }
    expect(issuesOf(input)).toEqual([
      "from",
      "messages.0.template.name",
      "messages.0.template.parameters.0.text",
      "messages.0.to",
      "messages.1.metadata",
      "messages.1.save",
      "messages.1.template.buttons",
      "messages.1.template.name",
      "messages.1.template.parameters.0.type",
      "messages.2.template"
    ])
    const exit = Effect.runSync(Effect.either(validateTemplateMessageRequest(input)))
    expect(Either.isLeft(exit) && exit.left instanceof InvalidInputError).toBe(true)
  })

  it("bounds recipients, name, texts and metadata", () => {
    const one = recipient()
    expect(issuesOf(request())).toEqual(["messages"])
    expect(issuesOf(request(...Array.from({ length: MAX_TEMPLATE_RECIPIENTS }, () => one)))).toEqual([])
    expect(issuesOf(request(...Array.from({ length: MAX_TEMPLATE_RECIPIENTS + 1 }, () => one)))).toEqual(["messages"])
    expect(issuesOf(request(recipient(undefined, "a".repeat(MAX_TEMPLATE_NAME_LENGTH))))).toEqual([])
    expect(issuesOf(request(recipient(undefined, "a".repeat(MAX_TEMPLATE_NAME_LENGTH + 1))))).toEqual([
      "messages.0.template.name"
    ])
    expect(issuesOf(request(recipient(undefined, undefined, ["a".repeat(MAX_TEMPLATE_TEXT_LENGTH)])))).toEqual([])
    expect(issuesOf(request(recipient(undefined, undefined, ["a".repeat(MAX_TEMPLATE_TEXT_LENGTH + 1)])))).toEqual([
      "messages.0.template.parameters.0.text"
    ])
    const withMetadata = (metadata: unknown) => ({ from: "2348000000001", messages: [{ ...one, metadata }] })
    // {"k":"…"} is 8 bytes around the string.
    expect(issuesOf(withMetadata({ k: "a".repeat(MAX_TEMPLATE_METADATA_BYTES - 8) }))).toEqual([])
    expect(issuesOf(withMetadata({ k: "a".repeat(MAX_TEMPLATE_METADATA_BYTES - 7) }))).toEqual(["messages.0.metadata"])
    // Two UTF-8 bytes per character: 2100 characters are 4200 bytes.
    expect(issuesOf(withMetadata({ k: "é".repeat(2100) }))).toEqual(["messages.0.metadata"])
    expect(issuesOf(withMetadata({ k: "a".repeat(10_000_000) }))).toEqual(["messages.0.metadata"])
    for (const bad of [null, "x", 1, { f: () => 1 }, { n: Number.NaN }, { d: new Date() }, { u: undefined }]) {
      expect(issuesOf(withMetadata(bad)), String(bad)).toEqual(["messages.0.metadata"])
    }
    const deep: Record<string, unknown> = {}
    let cursor = deep
    for (let i = 0; i < 40; i++) cursor = cursor.next = {} as Record<string, unknown>
    expect(issuesOf(withMetadata(deep))).toEqual(["messages.0.metadata"])
  })

  it("property: names outside [a-z0-9_] are refused at their path, names inside accepted", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (name) => {
        const valid = /^[a-z0-9_]+$/.test(name)
        expect(issuesOf(request(recipient(undefined, name)))).toEqual(valid ? [] : ["messages.0.template.name"])
      }),
      RUNS
    )
  })

  it("property: a valid request keeps its recipients in order, each number normalised", () => {
    const digits = fc.stringMatching(/^[1-9][0-9]{7,14}$/)
    const written = digits.chain((number) =>
      fc.constantFrom(number, `+${number}`, `00${number}`, `${number.slice(0, 3)} ${number.slice(3)}`).map((as) => ({
        number,
        as
      }))
    )
    const text = fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim().length > 0)
    fc.assert(
      fc.property(
        fc.array(fc.record({ to: written, texts: fc.array(text, { maxLength: 3 }) }), { minLength: 1, maxLength: 12 }),
        (recipients) => {
          const decoded = Either.getOrThrow(
            validate(request(...recipients.map(({ to, texts }) => recipient(to.as, "t_1", texts))))
          )
          expect(decoded.messages.map((message) => message.to)).toEqual(recipients.map(({ to }) => to.number))
          expect(decoded.messages.map((message) => message.template.parameters.map((p) => p.text))).toEqual(
            recipients.map(({ texts }) => texts)
          )
        }
      ),
      RUNS
    )
  })
})

/** A validated request of `count` recipients. */
const requestOf = (count: number): TemplateMessageRequest =>
  Either.getOrThrow(
    validate(request(...Array.from({ length: count }, (_, i) => recipient(`23480123456${String(i).padStart(2, "0")}`))))
  )

const entry = fc.oneof(
  fc.record({ status: fc.constant("success"), response: fc.string({ minLength: 1, maxLength: 30 }) }),
  fc.record(
    {
      status: fc.oneof(fc.constantFrom("success", "failed", "error", "SUCCESS", "queued", ""), fc.anything()),
      response: fc.oneof(fc.string({ maxLength: 30 }), fc.anything())
    },
    { requiredKeys: [] }
  ),
  fc.anything()
)

describe("the template answer", () => {
  it("decodes the documented 200 answer", () => {
    const result = templateMessage.decodeSuccess(
      {
        data: [{ status: "success", response: "gBGHI0kFNWAgTwIJk-_rr1Kse2yO" }],
        message: "Message sent to customer",
        success: true
      },
      requestOf(1)
    )
    expect(result).toEqual({
      message: "Message sent to customer",
      outcomes: [{ to: "2348012345600", status: "sent", messageId: "gBGHI0kFNWAgTwIJk-_rr1Kse2yO" }]
    })
  })

  it("a failed entry keeps what OneRoute said, in order with the sent ones", () => {
    const result = templateMessage.decodeSuccess(
      {
        data: [
          { status: "failed", response: 'Template "x" is not registered' },
          { status: "success", response: "id-2" },
          { status: "error", response: { code: 131026, title: "Undeliverable" } },
          {}
        ],
        message: "Message sent to customer",
        success: true
      },
      requestOf(4)
    )
    expect(result?.outcomes).toEqual([
      { to: "2348012345600", status: "failed", serverStatus: "failed", detail: 'Template "x" is not registered' },
      { to: "2348012345601", status: "sent", messageId: "id-2" },
      {
        to: "2348012345602",
        status: "failed",
        serverStatus: "error",
        detail: '{"code":131026,"title":"Undeliverable"}'
      },
      {
        to: "2348012345603",
        status: "unknown",
        serverStatus: null,
        messageId: null,
        detail: "OneRoute reported no status for this recipient: it may have been sent"
      }
    ])
  })

  it("an entry whose status the SDK does not recognise is unknown, never failed, and keeps its id", () => {
    const statuses: ReadonlyArray<unknown> = ["SUCCESS", "sent", "queued", "delivered", true, 1, null]
    const result = templateMessage.decodeSuccess(
      {
        data: statuses.map((status) => ({ status, response: "wamid.HBgL" })),
        message: "Message sent to customer",
        success: true
      },
      requestOf(statuses.length)
    )
    expect(result?.outcomes.map((outcome) => outcome.status)).toEqual(statuses.map(() => "unknown"))
    for (const outcome of result?.outcomes ?? []) {
      expect(outcome.status === "unknown" && outcome.messageId).toBe("wamid.HBgL")
    }
    expect(result?.outcomes[4]).toMatchObject({ serverStatus: "true" })
  })

  it("a 900 KiB status or response is cut to its documented length", () => {
    const huge = "s".repeat(900 * 1024)
    const result = templateMessage.decodeSuccess(
      {
        data: [
          { status: huge, response: huge },
          { status: "failed", response: huge }
        ],
        message: "m",
        success: true
      },
      requestOf(2)
    )
    const [unknown, failed] = result?.outcomes ?? []
    expect(unknown?.status === "unknown" && unknown.serverStatus?.length).toBe(MAX_SERVER_STATUS_LENGTH)
    expect(unknown?.status === "unknown" && unknown.detail.length <= MAX_DETAIL_LENGTH).toBe(true)
    expect(failed?.status === "failed" && failed.detail.length).toBe(MAX_DETAIL_LENGTH)
  })

  it("property: never 'sent' for an entry that is not 'success', never a result when the counts differ", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(entry, { maxLength: 10 }),
        fc.anything(),
        (count, data, message) => {
          const json = {
            data,
            message: typeof message === "string" ? message : "Message sent to customer",
            success: true
          }
          const result = templateMessage.decodeSuccess(json, requestOf(count))
          if (data.length !== count) {
            expect(result).toBeUndefined()
            return
          }
          if (result === undefined) return
          expect(result.outcomes).toHaveLength(count)
          result.outcomes.forEach((outcome, index) => {
            const raw = data[index] as { status?: unknown; response?: unknown }
            expect(outcome.to).toBe(requestOf(count).messages[index]?.to)
            if (outcome.status === "sent") {
              expect(raw.status).toBe("success")
              expect(outcome.messageId).toBe(raw.response)
            } else {
              expect(raw.status).not.toBe("success")
              expect(outcome.detail.length).toBeGreaterThan(0)
              expect(outcome.detail.length).toBeLessThanOrEqual(500)
            }
          })
        }
      ),
      RUNS
    )
  })

  it("no result for envelopes that are not the documented shape", () => {
    const two = requestOf(2)
    const ok = { status: "success", response: "id" }
    for (const json of [
      undefined,
      null,
      [],
      "Message sent to customer",
      { data: [ok, ok], message: "m" },
      { data: [ok, ok], message: "m", success: "true" },
      { data: [ok, ok], success: true },
      { data: { 0: ok, 1: ok, length: 2 }, message: "m", success: true },
      { data: [ok], message: "m", success: true },
      { data: [ok, ok, ok], message: "m", success: true },
      { data: [ok, null], message: "m", success: true },
      { data: [ok, { status: "success" }], message: "m", success: true },
      { data: [ok, { status: "success", response: "" }], message: "m", success: true }
    ]) {
      expect(templateMessage.decodeSuccess(json, two), JSON.stringify(json)).toBeUndefined()
    }
  })

  it("property: a decoded result, encoded and decoded again, is the same result (what a relay forwards)", () => {
    const entry = fc.record(
      {
        status: fc.oneof(
          fc.constantFrom("success", "failed", "FAILED", "error", "SUCCESS", "sent", "queued", "delivered"),
          fc.constantFrom(true, 1, null),
          fc.string({ maxLength: 12 })
        ),
        response: fc.oneof(
          fc.string({ minLength: 1, maxLength: 40 }),
          fc.string({ maxLength: 600 }),
          fc.constantFrom(null, { code: 131026 }, ["a"])
        )
      },
      { requiredKeys: [] }
    )
    const case_ = fc.integer({ min: 1, max: 8 }).chain((count) =>
      fc
        .record({
          message: fc.string({ maxLength: 30 }),
          data: fc.array(entry, { minLength: count, maxLength: count })
        })
        .map(({ message, data }) => [requestOf(count), { data, message, success: true }] as const)
    )
    let decodedCases = 0
    fc.assert(
      fc.property(case_, ([req, answer]) => {
        const result = templateMessage.decodeSuccess(answer, req)
        if (result === undefined) return
        decodedCases++
        const wire = JSON.parse(JSON.stringify(templateMessage.encodeSuccess(result)))
        expect(templateMessage.decodeSuccess(wire, req)).toEqual(result)
      }),
      RUNS
    )
    expect(decodedCases).toBeGreaterThan(0)
  })

  it("span attributes carry counts, never numbers or texts", () => {
    const req = requestOf(4)
    expect(templateMessage.requestAttributes(req)).toEqual({ "oneroute.template.recipients": 4 })
    const attributes = templateMessage.answerAttributes({
      message: "m",
      outcomes: [
        { to: req.messages[0]!.to, status: "sent", messageId: "a" },
        { to: req.messages[1]!.to, status: "failed", serverStatus: "failed", detail: "no" },
        { to: req.messages[2]!.to, status: "sent", messageId: "b" },
        { to: req.messages[3]!.to, status: "unknown", serverStatus: "queued", messageId: "c", detail: "?" }
      ]
    })
    expect(attributes).toEqual({
      "oneroute.template.sent": 2,
      "oneroute.template.failed": 1,
      "oneroute.template.unknown": 1
    })
  })
})

describe("sendTemplateMessage over HTTP", () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it("posts the normalised request to …/api/public/conversation/template in both APIs", async () => {
    server = await startServer((_, res) =>
      answer(
        res,
        200,
        JSON.stringify({ data: [{ status: "success", response: "wa-1" }], message: "ok", success: true })
      )
    )
    const options = { apiKey: "k", baseUrl: `${server.url}/prefix/`, retry: false as const }
    const input = { from: "+2348000000001", messages: [recipient("+234 801 234 5678")] }
    const client = fetchClient(options)
    try {
      const result = await client.sendTemplateMessage(input)
      expect(result.outcomes).toEqual([{ to: "2348012345678", status: "sent", messageId: "wa-1" }])
    } finally {
      await client.close()
    }
    const effect = await Effect.runPromise(
      OneRoute.sendTemplateMessage(input).pipe(Effect.provide(fetchLayer(options)))
    )
    expect(effect.outcomes[0]?.status).toBe("sent")
    expect(server.requests).toHaveLength(2)
    for (const seen of server.requests) {
      expect(JSON.parse(seen.body)).toEqual({ from: "2348000000001", messages: [recipient("2348012345678")] })
      expect(seen.headers.apikey).toBe("k")
    }
  })

  it("metadata with a __proto__ key (valid JSON) is sent as given, not dropped", async () => {
    server = await startServer((_, res) =>
      answer(
        res,
        200,
        JSON.stringify({ data: [{ status: "success", response: "wa-1" }], message: "ok", success: true })
      )
    )
    const client = fetchClient({ apiKey: "k", baseUrl: server.url, retry: false })
    const metadata = JSON.parse('{"__proto__":{"admin":true},"orderId":7}') as Record<string, unknown>
    try {
      await client.sendTemplateMessage({
        from: "2348000000001",
        messages: [{ ...recipient("2348012345678"), metadata }]
      })
    } finally {
      await client.close()
    }
    const sent = server.requests[0]?.body ?? ""
    expect(sent).toContain('"metadata":{"__proto__":{"admin":true},"orderId":7}')
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })

  it("an entry count that differs is UnexpectedResponseError (unknown), not retried", async () => {
    server = await startServer((_, res) =>
      answer(
        res,
        200,
        JSON.stringify({ data: [{ status: "success", response: "wa-1" }], message: "ok", success: true })
      )
    )
    const client = fetchClient({ apiKey: "k", baseUrl: server.url, retry: { retryUnknownOutcome: false } })
    try {
      const error = await rejectionOf(
        client.sendTemplateMessage({ from: "2348000000001", messages: [recipient(), recipient("2348012345679")] })
      )
      expect(error).toBeInstanceOf(UnexpectedResponseError)
      expect((error as UnexpectedResponseError).sendOutcome).toBe("unknown")
    } finally {
      await client.close()
    }
    expect(server.requests).toHaveLength(1)
  })

  it("invalid input makes no request", async () => {
    server = await startServer((_, res) => answer(res, 500, "{}"))
    const client = fetchClient({ apiKey: "k", baseUrl: server.url })
    try {
      const error = await rejectionOf(client.sendTemplateMessage({ from: "2348000000001", messages: [] }))
      expect(error).toBeInstanceOf(InvalidInputError)
    } finally {
      await client.close()
    }
    expect(server.requests).toHaveLength(0)
  })
})
