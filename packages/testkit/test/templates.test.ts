/** The emulator's template endpoint and its controls (`registerTemplate`, `/__emulator/templates`, `sentTemplates`). */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  documentedInvalidApiKeyBody,
  documentedTemplateRequestBody,
  documentedTemplateRequiredBody,
  type Emulator
} from "../src/index.js"
import { BUSINESS, CUSTOMER, send, start } from "./helpers.js"

const TEMPLATE_PATH = "/api/public/conversation/template"

const postTemplate = (emulator: Emulator, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${emulator.url}${TEMPLATE_PATH}`, {
    method: "POST",
    headers: { apiKey: emulator.apiKey, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body)
  })

const message = (name: string, texts: ReadonlyArray<string>, to = CUSTOMER, extra: object = {}) => ({
  to,
  template: { name, parameters: texts.map((text) => ({ type: "text", text })) },
  ...extra
})

const control = (url: string, name: string, body?: unknown) =>
  fetch(`${url}/__emulator/${name}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined
      ? {}
      : {
          headers: { "content-type": "application/json" },
          body: typeof body === "string" ? body : JSON.stringify(body)
        })
  })

describe("the template endpoint", () => {
  it("answers the documented example like the documented 200, with no open window, and records it", async () => {
    const emulator = await start()
    const response = await postTemplate(emulator, documentedTemplateRequestBody)
    expect(response.status).toBe(200)
    const body = (await response.json()) as { data: Array<{ status: string; response: string }> }
    expect(body).toEqual({
      data: [{ status: "success", response: expect.stringMatching(/^[A-Za-z0-9]{28}$/) }],
      message: "Message sent to customer",
      success: true
    })
    expect(emulator.sentTemplates()).toEqual([
      {
        id: body.data[0]?.response,
        from: BUSINESS,
        to: CUSTOMER,
        template: { name: "first_welcome_messsage", parameters: ["Michael"], buttons: [] },
        save: true,
        at: expect.any(Date)
      }
    ])
    expect(emulator.sent()).toHaveLength(0)
    expect(emulator.requests()).toBe(1)
  })

  it("answers the documented 400 and 401 bodies byte for byte", async () => {
    const emulator = await start()
    const missing = await postTemplate(emulator, { from: BUSINESS, messages: [{ to: CUSTOMER }] })
    expect(missing.status).toBe(400)
    expect(await missing.text()).toBe(JSON.stringify(documentedTemplateRequiredBody))
    const unauthorised = await postTemplate(emulator, documentedTemplateRequestBody, { apiKey: "wrong" })
    expect(unauthorised.status).toBe(401)
    expect(await unauthorised.text()).toBe(JSON.stringify(documentedInvalidApiKeyBody))
  })

  it("one entry per recipient: unknown templates and wrong counts fail only their recipient", async () => {
    const emulator = await start()
    emulator.registerTemplate({ channel: BUSINESS, name: "otp_login", parameters: 1, buttons: 1 })
    const response = await postTemplate(emulator, {
      from: BUSINESS,
      messages: [
        message("order_update", ["Ada", "#1"], "2348012345601"),
        message("no_such_template", [], "2348012345602"),
        message("order_update", ["Ada"], "2348012345603"),
        message("otp_login", ["123456"], "2348012345604"),
        {
          to: "2348012345605",
          template: {
            name: "otp_login",
            parameters: [{ type: "text", text: "1" }],
            buttons: [{ type: "text", text: "1" }]
          }
        },
        message("hello_world", [], "2348012345606", { metadata: { order: 7 } }),
        message("order_update", ["Ada", " "], "2348012345607")
      ]
    })
    expect(response.status).toBe(200)
    const { data } = (await response.json()) as { data: Array<{ status: string; response: string }> }
    expect(data.map((entry) => entry.status)).toEqual([
      "success",
      "failed",
      "failed",
      "failed",
      "success",
      "success",
      "failed"
    ])
    expect(data[1]?.response).toBe(`Template "no_such_template" is not registered on channel ${BUSINESS}`)
    expect(data[2]?.response).toBe('Template "order_update" expects 2 parameters, got 1')
    expect(data[3]?.response).toBe('Template "otp_login" expects 1 buttons, got 0')
    expect(data[6]?.response).toMatch(/must not be blank/)
    const sent = emulator.sentTemplates()
    expect(sent.map((entry) => entry.to)).toEqual(["2348012345601", "2348012345605", "2348012345606"])
    expect(sent.map((entry) => entry.id)).toEqual([data[0]?.response, data[4]?.response, data[5]?.response])
    expect(sent[2]?.metadata).toEqual({ order: 7 })
  })

  it("checks the body in the documented order", async () => {
    const emulator = await start()
    const cases: Array<[unknown, number, string]> = [
      ["[]", 400, "Request body must be a JSON object"],
      [{}, 400, '"from" is required'],
      [{ from: 1 }, 400, '"from" must be a string'],
      [{ from: BUSINESS }, 400, '"messages" is required'],
      [{ from: BUSINESS, messages: {} }, 400, '"messages" must be an array'],
      [{ from: BUSINESS, messages: [] }, 400, '"messages" must contain at least 1 items'],
      [
        { from: BUSINESS, messages: Array.from({ length: 101 }, () => message("hello_world", [])) },
        400,
        '"messages" must contain less than or equal to 100 items'
      ],
      [{ from: BUSINESS, messages: [null] }, 400, '"messages[0]" must be of type object'],
      [{ from: BUSINESS, messages: [{ template: {} }] }, 400, '"to" is required'],
      [{ from: BUSINESS, messages: [{ to: CUSTOMER, template: {} }] }, 400, '"name" is required'],
      [{ from: BUSINESS, messages: [{ to: CUSTOMER, template: { name: "x" } }] }, 400, '"parameters" is required'],
      [
        { from: BUSINESS, messages: [{ to: CUSTOMER, template: { name: "x", parameters: [{ type: "image" }] } }] },
        400,
        '"type" must be [text]'
      ],
      [{ from: BUSINESS, messages: [message("x", [], CUSTOMER, { save: "yes" })] }, 400, '"save" must be a boolean'],
      [
        { from: BUSINESS, messages: [message("x", [], CUSTOMER, { metadata: [] })] },
        400,
        '"metadata" must be of type object'
      ],
      [{ from: "+234", messages: [message("x", [])] }, 400, "Invalid WhatsApp number in from"],
      [
        { from: BUSINESS, messages: [message("x", []), message("x", [], "0")] },
        400,
        "Invalid WhatsApp number in messages[1].to"
      ],
      [
        { from: "2348099999999", messages: [message("x", [])] },
        403,
        "WhatsApp number 2348099999999 is not connected to a channel"
      ]
    ]
    for (const [body, status, text] of cases) {
      const response = await postTemplate(emulator, body)
      expect(response.status, JSON.stringify(body).slice(0, 100)).toBe(status)
      expect(((await response.json()) as { message: string }).message).toBe(text)
    }
    const wrongType = await postTemplate(emulator, "{}", { "content-type": "text/plain" })
    expect(wrongType.status).toBe(415)
    const get = await fetch(`${emulator.url}${TEMPLATE_PATH}`)
    expect(get.status).toBe(405)
    expect(get.headers.get("allow")).toBe("POST, OPTIONS")
    expect(emulator.sentTemplates()).toHaveLength(0)
  })

  it("faults apply to the next request of either endpoint, in order", async () => {
    const emulator = await start()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    emulator.inject({ kind: "status", status: 503 })
    emulator.inject({ kind: "reset", when: "after-accept" })
    emulator.inject({
      kind: "status",
      status: 200,
      body: JSON.stringify({ data: [], message: "Message sent to customer", success: true }),
      contentType: "application/json"
    })
    expect((await postTemplate(emulator, documentedTemplateRequestBody)).status).toBe(503)
    await expect(postTemplate(emulator, documentedTemplateRequestBody)).rejects.toThrow()
    expect(emulator.sentTemplates()).toHaveLength(1)
    const custom = await send(emulator)
    expect(await custom.json()).toEqual({ data: [], message: "Message sent to customer", success: true })
    expect(emulator.sent()).toHaveLength(0)
    expect(emulator.requests()).toBe(3)
  })

  it("reset clears sent templates and restores the default templates", async () => {
    const emulator = await start({ channels: [{ number: BUSINESS }, { number: "447700900123" }] })
    const defaults = emulator.templates()
    expect(defaults.map((template) => `${template.channel}/${template.name}/${template.parameters}`)).toEqual([
      `${BUSINESS}/first_welcome_messsage/1`,
      `${BUSINESS}/hello_world/0`,
      `${BUSINESS}/order_update/2`,
      `${BUSINESS}/otp_code/1`,
      "447700900123/first_welcome_messsage/1",
      "447700900123/hello_world/0",
      "447700900123/order_update/2",
      "447700900123/otp_code/1"
    ])
    emulator.registerTemplate({ channel: BUSINESS, name: "hello_world", parameters: 3 })
    emulator.registerTemplate({ channel: BUSINESS, name: "extra", parameters: 0 })
    expect(emulator.templates()).toHaveLength(9)
    expect(emulator.templates().find((t) => t.channel === BUSINESS && t.name === "hello_world")?.parameters).toBe(3)
    await postTemplate(emulator, { from: BUSINESS, messages: [message("extra", [])] })
    expect(emulator.sentTemplates()).toHaveLength(1)
    emulator.reset()
    expect(emulator.templates()).toEqual(defaults)
    expect(emulator.sentTemplates()).toHaveLength(0)
  })

  it("sentTemplates returns frozen copies", async () => {
    const emulator = await start()
    await postTemplate(emulator, {
      from: BUSINESS,
      messages: [message("hello_world", [], CUSTOMER, { metadata: { a: { b: 1 } } })]
    })
    const [first] = emulator.sentTemplates()
    expect(Object.isFrozen(first)).toBe(true)
    expect(Object.isFrozen(first?.template.parameters)).toBe(true)
    ;(first?.metadata?.a as { b: number }).b = 2
    expect(emulator.sentTemplates()[0]?.metadata).toEqual({ a: { b: 1 } })
  })
})

describe("template HTTP controls", () => {
  it("POST /__emulator/templates registers, GET lists, GET /__emulator/sent-templates lists what was sent", async () => {
    const emulator = await start()
    const registered = await control(emulator.url, "templates", {
      channel: BUSINESS,
      name: "promo_2026",
      parameters: 2
    })
    expect(registered.status).toBe(200)
    expect(await registered.json()).toEqual({
      data: { channel: BUSINESS, name: "promo_2026", parameters: 2, buttons: 0 },
      message: "Template registered",
      success: true
    })
    const listed = (await (await control(emulator.url, "templates")).json()) as { data: Array<{ name: string }> }
    expect(listed.data.map((template) => template.name)).toContain("promo_2026")
    await postTemplate(emulator, { from: BUSINESS, messages: [message("promo_2026", ["a", "b"])] })
    const sent = (await (await control(emulator.url, "sent-templates")).json()) as { data: Array<unknown> }
    expect(sent.data).toEqual([
      {
        id: emulator.sentTemplates()[0]?.id,
        from: BUSINESS,
        to: CUSTOMER,
        template: { name: "promo_2026", parameters: ["a", "b"], buttons: [] },
        at: emulator.sentTemplates()[0]?.at.toISOString()
      }
    ])
    const wrongMethod = await fetch(`${emulator.url}/__emulator/sent-templates`, { method: "POST", body: "{}" })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get("allow")).toBe("GET, OPTIONS")
    const put = await fetch(`${emulator.url}/__emulator/templates`, { method: "PUT" })
    expect(put.status).toBe(405)
    expect(put.headers.get("allow")).toBe("GET, POST, OPTIONS")
  })

  it("malformed registrations are a 400 with a clear message, and change nothing", async () => {
    const emulator = await start()
    const before = emulator.templates()
    const cases: Array<[unknown, RegExp]> = [
      ["{oops", /Request body must be a JSON object/],
      ["[]", /Request body must be a JSON object/],
      ["null", /Request body must be a JSON object/],
      [{ name: "a", parameters: 0 }, /channel must be a WhatsApp number/],
      [{ channel: "2348099999999", name: "a", parameters: 0 }, /not connected to a channel/],
      [{ channel: BUSINESS, name: "Has Spaces", parameters: 0 }, /lowercase letters, digits and underscores/],
      [{ channel: BUSINESS, name: "a".repeat(513), parameters: 0 }, /1 to 512/],
      [{ channel: BUSINESS, name: "a", parameters: -1 }, /parameters must be a whole number from 0 to 100/],
      [{ channel: BUSINESS, name: "a", parameters: 1.5 }, /parameters must be a whole number/],
      [{ channel: BUSINESS, name: "a", parameters: "2" }, /parameters must be a whole number/],
      [{ channel: BUSINESS, name: "a", parameters: 101 }, /from 0 to 100/],
      [{ channel: BUSINESS, name: "a", parameters: 0, buttons: 11 }, /buttons must be a whole number from 0 to 10/],
      [{ channel: BUSINESS, name: "a", parameters: 0, colour: "red" }, /unknown property "colour"/]
    ]
    for (const [body, pattern] of cases) {
      const response = await control(emulator.url, "templates", body)
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400)
      const json = (await response.json()) as { data: unknown; message: string; success: boolean }
      expect(json.data).toBeNull()
      expect(json.success).toBe(false)
      expect(json.message).toMatch(pattern)
    }
    expect(() => emulator.registerTemplate({ channel: BUSINESS, name: "A", parameters: 0 })).toThrow(TypeError)
    expect(emulator.templates()).toEqual(before)
  })

  it("a huge registration body is a 413 and the emulator keeps answering", async () => {
    const emulator = await start()
    const huge = JSON.stringify({ channel: BUSINESS, name: "a", parameters: 0, pad: "x".repeat(1024 * 1024) })
    const response = await control(emulator.url, "templates", huge)
    expect(response.status).toBe(413)
    const template = await postTemplate(emulator, { from: BUSINESS, messages: [message("a".repeat(10), [])] })
    expect(template.status).toBe(200)
    const tooLarge = await postTemplate(emulator, `{"pad":"${"x".repeat(1024 * 1024)}"}`)
    expect(tooLarge.status).toBe(413)
  })

  it("fuzz: any JSON body to the controls and the endpoint gets an envelope, never a 500", async () => {
    const emulator = await start()
    const json = fc.jsonValue({ maxDepth: 4 })
    const near = fc.record(
      {
        channel: fc.oneof(fc.constant(BUSINESS), json),
        name: fc.oneof(fc.stringMatching(/^[a-z0-9_]{1,20}$/), json),
        parameters: fc.oneof(fc.integer({ min: -2, max: 102 }), json),
        buttons: fc.oneof(fc.integer({ min: -1, max: 11 }), json)
      },
      { requiredKeys: [] }
    )
    const templateBody = fc.record(
      {
        from: fc.oneof(fc.constant(BUSINESS), json),
        messages: fc.oneof(
          fc.array(
            fc.record(
              {
                to: fc.oneof(fc.constant(CUSTOMER), json),
                template: fc.oneof(
                  fc.record({
                    name: fc.oneof(fc.constantFrom("hello_world", "order_update", "otp_code"), json),
                    parameters: fc.oneof(fc.array(fc.record({ type: fc.constant("text"), text: fc.string() })), json)
                  }),
                  json
                ),
                save: fc.oneof(fc.boolean(), json),
                metadata: json
              },
              { requiredKeys: [] }
            ),
            { maxLength: 4 }
          ),
          json
        )
      },
      { requiredKeys: [] }
    )
    await fc.assert(
      fc.asyncProperty(fc.oneof(near, json), templateBody, async (registration, body) => {
        for (const response of [
          await control(emulator.url, "templates", JSON.stringify(registration)),
          await postTemplate(emulator, JSON.stringify(body))
        ]) {
          expect([200, 400, 403, 413]).toContain(response.status)
          const envelope = (await response.json()) as { success: boolean; message: string }
          expect(typeof envelope.message).toBe("string")
          expect(envelope.success).toBe(response.status === 200)
        }
      }),
      { numRuns: 150 }
    )
    expect(emulator.templates().length).toBeGreaterThanOrEqual(4)
  })
})
