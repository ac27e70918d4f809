/**
 * The emulator's controls under hostile input, through real HTTP on loopback: every bounded
 * collection refuses past its bound and changes nothing, the clock refuses times it cannot show,
 * bodies stop at their limit, deep and huge JSON are refused, and a bounded fuzz of every control
 * route never gets a 500 nor leaves the emulator unable to answer.
 */
import { request as httpRequest } from "node:http"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { connectEmulator, EmulatorLimitError } from "../src/index.js"
import { BUSINESS, CUSTOMER, send, start, startOpen } from "./helpers.js"

const MAX_FAULTS = 100
const MAX_BODY = 64 * 1024

const post = (url: string, name: string, body: unknown) =>
  fetch(`${url}/__emulator/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body)
  })

type Envelope = { data: unknown; message: string; success: boolean }
const answer = async (response: Response) => ({ status: response.status, ...((await response.json()) as Envelope) })

const info = async (url: string) => answer(await fetch(`${url}/__emulator/info`))

describe("the fault queue is bounded", () => {
  it(`inject() in code: ${MAX_FAULTS} faults wait, the next throws EmulatorLimitError and changes nothing`, async () => {
    const emulator = await startOpen()
    for (let i = 0; i < MAX_FAULTS; i++) emulator.inject({ kind: "status", status: 500 + (i % 2) })
    let thrown: unknown
    try {
      emulator.inject({ kind: "status", status: 418 })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(EmulatorLimitError)
    expect(thrown).toMatchObject({ _tag: "EmulatorLimitError", limit: "faults", max: MAX_FAULTS })
    expect((thrown as Error).message).toMatch(/at most 100 faults/)
    // The queue is the first 100, in order; the refused one is not in it.
    const statuses: Array<number> = []
    for (let i = 0; i < MAX_FAULTS + 1; i++) statuses.push((await send(emulator)).status)
    expect(statuses.slice(0, 4)).toEqual([500, 501, 500, 501])
    expect(statuses.filter((s) => s === 418)).toEqual([])
    expect(statuses[MAX_FAULTS]).toBe(200)
    // Taken faults free their places.
    emulator.inject({ kind: "status", status: 503 })
    expect((await send(emulator)).status).toBe(503)
  })

  it("over HTTP: 409 with { limit, max } past the bound; connectEmulator's inject rejects with EmulatorLimitError", async () => {
    const emulator = await startOpen()
    const results = await Promise.all(
      Array.from({ length: MAX_FAULTS + 50 }, () => post(emulator.url, "faults", { kind: "hang" }).then(answer))
    )
    expect(results.filter((r) => r.status === 200)).toHaveLength(MAX_FAULTS)
    const refused = results.filter((r) => r.status !== 200)
    expect(refused).toHaveLength(50)
    for (const r of refused) {
      expect(r).toMatchObject({ status: 409, success: false, data: { limit: "faults", max: MAX_FAULTS } })
      expect(r.message).toMatch(/at most 100 faults can wait/)
    }
    const control = await connectEmulator(emulator.url)
    await expect(control.inject({ kind: "malformed" })).rejects.toSatisfy(
      (error) => error instanceof EmulatorLimitError && error.limit === "faults" && error.max === MAX_FAULTS
    )
    await control.reset()
    await control.inject({ kind: "status", status: 502 })
    expect((await send(emulator)).status).toBe(502)
  })

  it("a status fault's body and the faults' header values are bounded too", async () => {
    const emulator = await start()
    expect(() => emulator.inject({ kind: "status", status: 500, body: "x".repeat(4 * 1024 * 1024 + 1) })).toThrow(
      /body must be a string of at most 4194304 characters/
    )
    expect(() => emulator.inject({ kind: "status", status: 500, contentType: "a".repeat(1025) })).toThrow(TypeError)
    expect(() => emulator.inject({ kind: "rate-limit", retryAfter: "1".repeat(1025) })).toThrow(TypeError)
    emulator.inject({ kind: "status", status: 500, body: "x".repeat(4 * 1024 * 1024) })
  })
})

describe("the clock refuses times it cannot show, and keeps the old one", () => {
  const cases: Array<[string, unknown]> = [
    ["now", 8.64e15 + 1],
    ["now", 8.64e15],
    ["now", -8.64e15],
    ["now", "+275760-09-13T00:00:00.000Z"],
    ["now", "+010000-01-01T00:00:00.000Z"],
    ["now", 1e308],
    ["advanceMs", 8.64e15],
    ["advanceMs", -8.64e15],
    ["advanceMs", 1e300],
    ["advanceMs", Number.MAX_SAFE_INTEGER]
  ]
  it("over HTTP: 400, and /__emulator/info still answers with the clock it had", async () => {
    const emulator = await start({ now: new Date("2030-06-01T00:00:00Z") })
    for (const [key, value] of cases) {
      const response = await answer(await post(emulator.url, "clock", { [key]: value }))
      expect(response.status, `${key} ${value}`).toBe(400)
      expect(response.message).toMatch(/between 0000-01-01 and 9999-12-31|must be a valid Date/)
      const after = await info(emulator.url)
      expect(after.status).toBe(200)
      expect(new Date((after.data as { now: string }).now).getUTCFullYear()).toBe(2030)
    }
    // And sends still get timestamps.
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect((await send(emulator)).status).toBe(200)
  })

  it("in code: clock.set and clock.advance throw TypeError and keep the clock; startEmulator refuses such a now", async () => {
    const emulator = await start({ now: new Date("2030-06-01T00:00:00Z") })
    expect(() => emulator.clock.set(new Date(8.64e15 + 1))).toThrow(TypeError)
    expect(() => emulator.clock.set(new Date(8.64e15))).toThrow(/between 0000-01-01 and 9999-12-31/)
    expect(() => emulator.clock.advance(8.64e15)).toThrow(TypeError)
    expect(emulator.clock.now().getUTCFullYear()).toBe(2030)
    emulator.clock.set(new Date("9999-12-31T00:00:00Z"))
    expect(emulator.clock.now().getUTCFullYear()).toBe(9999)
    emulator.clock.set(new Date("0000-01-02T00:00:00Z"))
    expect(emulator.clock.now().getUTCFullYear()).toBe(0)
    await expect(start({ now: new Date(8.64e15) })).rejects.toThrow(TypeError)
  })
})

describe("control bodies", () => {
  /** POST `total` bytes in chunks, chunked (no Content-Length) unless `declare`; resolves with the status. */
  const stream = (url: string, total: number, declare: boolean) =>
    new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
      let sentBytes = 0
      const req = httpRequest(
        `${url}/__emulator/faults`,
        {
          method: "POST",
          agent: false,
          headers: { "content-type": "application/json", ...(declare ? { "content-length": total } : {}) }
        },
        (res) => {
          const chunks: Array<Buffer> = []
          res.on("data", (c: Buffer) => chunks.push(c))
          res.on("end", () => {
            req.destroy()
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sentBytes })
          })
        }
      )
      req.on("error", reject)
      const chunk = Buffer.alloc(16 * 1024, 0x20)
      const pump = () => {
        while (sentBytes < total) {
          sentBytes += chunk.byteLength
          if (!req.write(chunk)) return void req.once("drain", pump)
        }
        req.end()
      }
      pump()
    })

  it("a body past 64 KiB is a 413, with or without Content-Length, and the emulator answers on", async () => {
    const emulator = await start()
    const declared = await stream(emulator.url, 8 * 1024 * 1024, true)
    expect(declared.status).toBe(413)
    expect(JSON.parse(declared.body)).toMatchObject({ message: `Request body must not exceed ${MAX_BODY} bytes` })
    const chunked = await stream(emulator.url, 8 * 1024 * 1024, false)
    expect(chunked.status).toBe(413)
    expect((await info(emulator.url)).status).toBe(200)
  })

  it("deep JSON is a 400 before anything parses it recursively; huge strings are cut in messages", async () => {
    const emulator = await start()
    for (const name of ["faults", "inbound", "clock", "templates"]) {
      const deep = `{"kind":${"[".repeat(30_000)}${"]".repeat(30_000)}}`
      const response = await answer(await post(emulator.url, name, deep))
      expect(response.status, name).toBe(400)
      expect(response.message).toBe("Request body must not nest arrays and objects more than 64 levels deep")
    }
    // 64 levels are fine to read (and then refused for what they say, not for their depth).
    const nested = `{"kind":${"[".repeat(63)}${"]".repeat(63)}}`
    expect((await answer(await post(emulator.url, "faults", nested))).message).toMatch(/fault\.kind must be one of/)
    const huge = "9".repeat(60_000)
    for (const [name, body] of [
      ["faults", { kind: huge }],
      ["faults", { kind: "hang", [huge]: 1 }],
      ["inbound", { from: huge, to: BUSINESS }],
      ["templates", { channel: BUSINESS, name: huge, parameters: 0 }],
      ["templates", { channel: BUSINESS, name: "x", parameters: 0, [huge]: 1 }]
    ] as const) {
      const response = await post(emulator.url, name, body)
      expect(response.status, name).toBe(400)
      expect((await response.text()).length).toBeLessThan(1_000)
    }
  })

  it("registered templates and inbound messages are bounded (409, EmulatorLimitError)", async () => {
    const emulator = await start()
    const defaults = emulator.templates().length
    for (let i = defaults; i < 10_000; i++)
      emulator.registerTemplate({ channel: BUSINESS, name: `t${i}`, parameters: 0 })
    expect(() => emulator.registerTemplate({ channel: BUSINESS, name: "one_more", parameters: 0 })).toThrow(
      EmulatorLimitError
    )
    // Replacing one that is registered is not growth.
    emulator.registerTemplate({ channel: BUSINESS, name: "t9999", parameters: 1 })
    const refused = await answer(
      await post(emulator.url, "templates", { channel: BUSINESS, name: "one_more", parameters: 0 })
    )
    expect(refused).toMatchObject({ status: 409, data: { limit: "templates", max: 10_000 } })
    emulator.reset()
    expect(emulator.templates()).toHaveLength(defaults)

    for (let i = 0; i < 100_000; i++) emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect(() => emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })).toThrow(EmulatorLimitError)
    const inbound = await answer(await post(emulator.url, "inbound", { from: CUSTOMER, to: BUSINESS }))
    expect(inbound).toMatchObject({ status: 409, data: { limit: "inbound", max: 100_000 } })
    emulator.reset()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect((await send(emulator)).status).toBe(200)
  })
})

describe("a bounded fuzz of every control route", () => {
  it("600 hostile requests: never a 500, the clock stays showable, info answers after each", async () => {
    const emulator = await start()
    const routes = ["info", "inbound", "sent", "requests", "templates", "sent-templates", "faults", "clock", "reset"]
    const hostileNumber = fc.oneof(
      fc.double(),
      fc.constantFrom(8.64e15, 8.64e15 + 1, -8.64e15, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 31, -0)
    )
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      hostileNumber,
      fc.constantFrom(
        "",
        "9".repeat(5_000),
        "2348000000001",
        "2348012345678",
        "+275760-09-13T00:00:00.000Z",
        "__proto__"
      )
    )
    const body = fc.oneof(
      fc
        .record(
          {
            kind: fc.oneof(
              fc.constantFrom("latency", "status", "rate-limit", "malformed", "truncated", "reset", "hang"),
              value
            ),
            times: value,
            ms: hostileNumber,
            status: fc.oneof(fc.integer({ min: 100, max: 700 }), value),
            body: value,
            contentType: value,
            retryAfter: value,
            when: value,
            accept: value,
            from: value,
            to: value,
            at: value,
            now: value,
            advanceMs: hostileNumber,
            channel: value,
            name: value,
            parameters: value,
            buttons: value
          },
          { requiredKeys: [] }
        )
        .map((object) => JSON.stringify(object)),
      fc.jsonValue({ maxDepth: 4 }).map((json) => JSON.stringify(json)),
      fc.string({ maxLength: 200 }),
      fc.integer({ min: 65, max: 200 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`)
    )
    let runs = 0
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom("GET", "POST", "PUT"),
        body,
        async (name, method, text) => {
          runs++
          const response = await fetch(`${emulator.url}/__emulator/${name}`, {
            method,
            ...(method === "GET" ? {} : { headers: { "content-type": "application/json" }, body: text })
          })
          await response.arrayBuffer()
          expect([200, 400, 405, 409, 413]).toContain(response.status)
          const after = await info(emulator.url)
          expect(after.status).toBe(200)
          expect(Number.isNaN(Date.parse((after.data as { now: string }).now))).toBe(false)
          // Hang faults would hold later sends: empty the queue now and then.
          if (name === "faults" && response.status === 200) emulator.reset()
        }
      ),
      { numRuns: 600, seed: 20261206 }
    )
    expect(runs).toBe(600)
    // Still a working emulator.
    emulator.reset()
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    expect((await send(emulator)).status).toBe(200)
  })
})

describe("the send endpoints read JSON the same bounded way", () => {
  it("a template whose metadata nests 20,000 deep is a 400 and records nothing (was a 500 after recording)", async () => {
    const emulator = await startOpen()
    const recipient = (to: string, metadata: string) =>
      `{"to":"${to}","template":{"name":"hello_world","parameters":[]},"metadata":${metadata}}`
    const deep = `{"a":${"[".repeat(20_000)}${"]".repeat(20_000)}}`
    const response = await fetch(`${emulator.url}/api/public/conversation/template`, {
      method: "POST",
      headers: { apiKey: emulator.apiKey, "content-type": "application/json" },
      body: `{"from":"${BUSINESS}","messages":[${recipient(CUSTOMER, "{}")},${recipient("2348012345679", deep)}]}`
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as Envelope).message).toMatch(/more than 64 levels deep/)
    expect(emulator.sentTemplates()).toEqual([])
    const session = await fetch(`${emulator.url}/api/public/conversation/text`, {
      method: "POST",
      headers: { apiKey: emulator.apiKey, "content-type": "application/json" },
      body: `{"from":"${BUSINESS}","to":"${CUSTOMER}","message":"hi","x":${"[".repeat(100)}${"]".repeat(100)}}`
    })
    expect(session.status).toBe(400)
    expect(emulator.sent()).toEqual([])
  })
})
