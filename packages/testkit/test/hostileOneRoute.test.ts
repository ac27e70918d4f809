/**
 * The hostile OneRoute itself, through real HTTP on loopback: it counts copies per body
 * fingerprint, keeps its records bounded, answers each attack as declared; and the hostile
 * suite's checks fail against a naive client (a check that cannot fail would prove nothing).
 */
import { request as httpRequest } from "node:http"
import { Endpoint, type OneRouteClient } from "@oneroute/core"
import { afterEach, describe, expect, it } from "vitest"
import {
  fingerprintOf,
  HOSTILE_API_KEY,
  type HostileAttack,
  HostileCheckFailure,
  type HostileOneRoute,
  hostileAttacks,
  hostileSamples,
  hostileSuite,
  startHostileOneRoute
} from "../src/index.js"

const running = new Set<HostileOneRoute>()
const start = async (options?: Parameters<typeof startHostileOneRoute>[0]) => {
  const hostile = await startHostileOneRoute(options)
  running.add(hostile)
  return hostile
}
afterEach(async () => {
  await Promise.all([...running].map((hostile) => hostile.close()))
  running.clear()
})

interface Raw {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string | Array<string> | undefined>>
  readonly body: string
  /** Why the exchange ended without a complete answer. */
  readonly error?: string
}

/** One POST with node:http, ended by `timeoutMs` at the latest; never rejects. */
const post = (url: string, body: string, timeoutMs = 2_000): Promise<Raw> =>
  new Promise((resolve) => {
    let status: number | undefined
    let headers: Raw["headers"]
    let text = ""
    const done = (error?: string) => {
      clearTimeout(timer)
      resolve({
        ...(status === undefined ? {} : { status }),
        ...(headers === undefined ? {} : { headers }),
        body: text,
        ...(error === undefined ? {} : { error })
      })
    }
    const request = httpRequest(
      `${url}/api/public/conversation/template`,
      { method: "POST", headers: { apikey: HOSTILE_API_KEY, "content-type": "application/json" } },
      (response) => {
        status = response.statusCode
        headers = response.headers
        response.setEncoding("utf8")
        response.on("data", (chunk: string) => {
          text += chunk
        })
        response.on("end", () => (response.complete ? done() : done("incomplete")))
        response.on("error", (error) => done(error.message))
        response.on("aborted", () => done("aborted"))
      }
    )
    const timer = setTimeout(() => {
      request.destroy()
      done("timeout")
    }, timeoutMs)
    request.on("error", (error) => done(error.message))
    request.end(body)
  })

const templateBody = JSON.stringify(hostileSamples.sendTemplateMessage.input)
const success = Endpoint.registry.sendTemplateMessage.encodeSuccess(hostileSamples.sendTemplateMessage.answer)
const attack = (name: string): HostileAttack => {
  const found = hostileAttacks.find((candidate) => candidate.name === name)
  if (found === undefined) throw new Error(`no attack ${name}`)
  return found
}

describe("the hostile OneRoute", () => {
  it("has unique attack names, each declaring whether OneRoute acted", () => {
    const names = hostileAttacks.map((candidate) => candidate.name)
    expect(new Set(names).size).toBe(names.length)
    for (const candidate of hostileAttacks) expect(typeof candidate.acted).toBe("boolean")
    expect(hostileAttacks.filter((candidate) => candidate.acted).length).toBeGreaterThan(80)
    expect(hostileAttacks.filter((candidate) => !candidate.acted).length).toBeGreaterThan(10)
  })

  it("counts copies per body fingerprint", async () => {
    const hostile = await start()
    hostile.script(attack("valid-success"), { success })
    await post(hostile.url, templateBody)
    await post(hostile.url, templateBody)
    await post(hostile.url, "{}")
    expect(hostile.copies(fingerprintOf(templateBody))).toBe(2)
    expect(hostile.copies(fingerprintOf("{}"))).toBe(1)
    expect(hostile.received().map((request) => request.apiKeyMatched)).toEqual([true, true, true])
    hostile.reset()
    expect(hostile.received()).toEqual([])
    expect(hostile.total()).toBe(3)
  })

  it("keeps at most maxRecorded requests and reads at most maxRequestBytes of a body", async () => {
    const hostile = await start({ maxRecorded: 3, maxRequestBytes: 1024 })
    hostile.script(attack("valid-success"), { success })
    for (let index = 0; index < 5; index++) await post(hostile.url, JSON.stringify({ index }))
    expect(hostile.received().length).toBe(3)
    expect(hostile.dropped()).toBe(2)
    hostile.reset()
    const oversize = await post(hostile.url, "x".repeat(4096))
    expect(oversize.status).toBe(413)
    expect(hostile.received()[0]?.oversize).toBe(true)
    expect(hostile.received()[0]?.bytes).toBe(4096)
  })

  it("answers 500 when nothing is scripted", async () => {
    const hostile = await start()
    expect((await post(hostile.url, templateBody)).status).toBe(500)
  })

  it("answers every attack as it declares", async () => {
    const hostile = await start({ hangMs: 5_000 })
    const context = { apiKey: HOSTILE_API_KEY, request: JSON.parse(templateBody), recipients: 2, success }
    for (const candidate of hostileAttacks) {
      hostile.script(candidate, { success })
      const declared = candidate.answer(context)
      const raw = await post(hostile.url, templateBody, declared.kind === "hang-mid-body" ? 300 : 5_000)
      const what = `${candidate.name}: ${JSON.stringify({ ...raw, body: raw.body.slice(0, 80) })}`
      if (declared.kind === "answer") {
        expect(raw.error, what).toBeUndefined()
        expect(raw.status, what).toBe(declared.status)
        expect(raw.body, what).toBe(declared.body ?? "")
      } else {
        // A broken stream: never a complete answer with the declared body.
        expect(raw.error === undefined && raw.body === declared.body, what).toBe(false)
      }
    }
    expect(hostile.received().length).toBe(hostileAttacks.length)
  }, 120_000)

  it("writes per-recipient attacks with one entry per recipient of the request", async () => {
    const hostile = await start()
    hostile.script(attack("recipient-status-queued"), { success })
    const raw = await post(hostile.url, templateBody)
    const json = JSON.parse(raw.body) as { data: Array<{ status: unknown; response: unknown }> }
    expect(json.data.map((entry) => entry.status)).toEqual(["queued", "queued"])
  })

  it("echoes the key in every encoding it declares", async () => {
    const hostile = await start()
    hostile.script(attack("echo-raw-in-success-message"), { success })
    expect(JSON.parse((await post(hostile.url, templateBody)).body).message).toBe(HOSTILE_API_KEY)
    hostile.script(attack("echo-json-unicode-in-success-message"), { success })
    const unicode = await post(hostile.url, templateBody)
    expect(unicode.body).toContain("\\u0073\\u006b")
    expect(JSON.parse(unicode.body).message).toBe(HOSTILE_API_KEY)
    hostile.script(attack("echo-base64-in-headers"), { success })
    expect((await post(hostile.url, templateBody)).headers?.["x-echo-apikey"]).toBe(btoa(HOSTILE_API_KEY))
  })
})

describe("the hostile suite's checks", () => {
  /**
   * A naive Promise client: no typed errors, every failure "not-sent" with the body in its
   * message, every 2xx body's `data` as the result.
   */
  const naiveClient = (options: { apiKey?: unknown; baseUrl?: unknown }) => {
    const send = (path: string) => async (input: unknown, call?: { signal?: AbortSignal }) => {
      const response = await fetch(`${String(options.baseUrl)}/${path}`, {
        method: "POST",
        headers: { apikey: String(options.apiKey), "content-type": "application/json" },
        body: JSON.stringify(input),
        ...(call?.signal === undefined ? {} : { signal: call.signal })
      })
      const text = await response.text()
      if (!response.ok) {
        throw Object.assign(new Error(`OneRoute said ${text} (key ${String(options.apiKey)})`), {
          _tag: "RejectedError",
          sendOutcome: "not-sent"
        })
      }
      return (JSON.parse(text) as { data: unknown }).data
    }
    return {
      ...Object.fromEntries(Endpoint.all.map((endpoint) => [endpoint.name, send(endpoint.path)])),
      close: async () => undefined
    } as unknown as OneRouteClient
  }
  const unused = () => {
    throw new Error("not used by the Promise direct target")
  }
  const suite = hostileSuite({
    runtime: {
      createClient: naiveClient as never,
      layer: unused,
      relayHandler: unused,
      serve: unused
    },
    targets: ["Promise direct"],
    attacks: [
      "status-303-with-location",
      "status-303-without-location",
      "status-502-html",
      "echo-raw-in-refusal-message",
      "deep-array-in-data"
    ].map(attack),
    attemptTimeoutMs: 2_000
  })
  const failure = async (name: string): Promise<string> => {
    const found = suite.cases.find((candidate) => candidate.name === name)
    if (found === undefined) throw new Error(`no case ${name}`)
    const error = await found.run().then(
      () => undefined,
      (error: unknown) => error
    )
    expect(error).toBeInstanceOf(HostileCheckFailure)
    return (error as Error).message
  }

  it("catch a false not-sent, an untyped error, the key in a message and a result that is not the documented one", async () => {
    await suite.setup()
    try {
      expect(suite.cases.length).toBe(Endpoint.all.length * 5)
      const followed = await failure("[Promise direct] sendSessionMessage × status-303-with-location")
      expect(followed).toContain("requests besides the send's copies (a followed redirect?)")
      expect(followed).toContain("isOneRouteError is false for TypeError")
      const redirect = await failure("[Promise direct] sendSessionMessage × status-303-without-location")
      expect(redirect).toContain("RejectedError (not-sent) although OneRoute acted")
      expect(await failure("[Promise direct] sendTemplateMessage × status-502-html")).toContain(
        "although OneRoute acted"
      )
      expect(await failure("[Promise direct] sendSessionMessage × echo-raw-in-refusal-message")).toMatch(
        /the key shows in the error's message \(raw, .*first 8 characters\)/
      )
      // A deep body read as a result: bounded depth is checked.
      expect(await failure("[Promise direct] sendSessionMessage × deep-array-in-data")).toContain("nested deeper than")
      expect(suite.totals()).toMatchObject({ attacksRun: 5, sends: 5, failedCases: 5 })
    } finally {
      await suite.teardown()
    }
  }, 120_000)
})
