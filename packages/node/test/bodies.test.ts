/**
 * Through the undici transport: the key never shows (also JSON-escaped), success data come back
 * exactly as sent, bodies are read up to `maxResponseBytes`, and errors keep no body alive.
 */
import { createServer, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { inspect } from "node:util"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { documentedSuccessBody, type Emulator, startEmulator } from "@oneroute/testkit"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import {
  createClient,
  InvalidApiKeyError,
  InvalidOptionsError,
  type OneRouteError,
  UnexpectedResponseError
} from "../src/effect.js"

const CUSTOMER = "2348012345678"
const BUSINESS = "2348000000001"
const send = { from: BUSINESS, to: CUSTOMER, message: "hi" }
const MiB = 1024 * 1024

const rejectionOf = (promise: Promise<unknown>): Promise<OneRouteError> =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error as OneRouteError
  )

/** A key with characters JSON escapes (`\u002d`, `\/`) and URLs encode. */
const KEY = "sk-live+Ab/Cd9"
let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({ apiKey: KEY })
})
afterAll(() => emulator.close())
afterEach(() => {
  emulator.reset()
})

describe("the API key in an error body is scrubbed after JSON decoding", () => {
  it.each([
    ["\\u002d-escaped", "sk\\u002dlive\\u002bAb\\/Cd9"],
    ["fully escaped", [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")],
    ["plain", KEY]
  ])("a 401 echoing the key %s", async (_, written) => {
    emulator.inject({
      kind: "status",
      status: 401,
      body: `{"data":null,"message":"Invalid API Key ${written}","success":false}`,
      contentType: "application/json"
    })
    const client = createClient({ apiKey: KEY, baseUrl: emulator.url })
    try {
      const error = await rejectionOf(client.sendSessionMessage(send))
      expect(error).toBeInstanceOf(InvalidApiKeyError)
      expect((error as InvalidApiKeyError).serverMessage).toBe("Invalid API Key [redacted]")
      for (const shown of [String(error), error.message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
        expect(shown).not.toContain(KEY)
        expect(shown).not.toContain("sk\\u002dlive")
      }
    } finally {
      await client.close()
    }
  })

  it("a 200 gateway page echoing the escaped key: the excerpt shows neither form", async () => {
    emulator.inject({
      kind: "status",
      status: 200,
      body: `<pre>{"apikey":"sk\\u002dlive\\u002bAb\\/Cd9"}</pre>`,
      contentType: "text/html"
    })
    const client = createClient({ apiKey: KEY, baseUrl: emulator.url })
    try {
      const error = await rejectionOf(client.sendSessionMessage(send))
      expect((error as UnexpectedResponseError).bodyExcerpt).toBe('<pre>{"apikey":"[redacted]"}</pre>')
    } finally {
      await client.close()
    }
  })
})

describe("success data are returned exactly as sent", () => {
  it("with the API key `k`, which occurs in the documented externalId", async () => {
    const keyK = await startEmulator({ apiKey: "k" })
    const client = createClient({ apiKey: "k", baseUrl: keyK.url })
    try {
      keyK.receiveInbound({ from: CUSTOMER, to: BUSINESS })
      // The documented answer, with "k" (the key) inside its fields: none of it may be scrubbed.
      const body = {
        ...documentedSuccessBody,
        data: {
          ...documentedSuccessBody.data,
          content: "kkk: keep it",
          sender: { ...documentedSuccessBody.data.sender, name: "kiosk" }
        }
      }
      keyK.inject({ kind: "status", status: 200, body: JSON.stringify(body), contentType: "application/json" })
      const message = await client.sendSessionMessage({ ...send, message: "kkk: keep it" })
      expect(message.externalId).toBe("gBGHI0kFNWAgTwIJQFXbLV4JUIzD")
      expect(message.content).toBe("kkk: keep it")
      expect(message.sender.name).toBe("kiosk")
      // And a real send through the emulator, whose ids are random letters and digits.
      const sent = await client.sendSessionMessage({ ...send, message: "kind regards" })
      expect(sent.content).toBe("kind regards")
      expect(keyK.sent().map((m) => m.id)).toEqual([sent.id])
    } finally {
      await client.close()
      await keyK.close()
    }
  })
})

describe("maxResponseBytes over undici", () => {
  /** A server that streams `total` bytes with backpressure and counts what it wrote. */
  const startStreaming = async (status: number, total: number) => {
    const written = { bytes: 0 }
    const server = createServer((req, res: ServerResponse) => {
      req.resume()
      res.writeHead(status, { "content-type": "application/json" })
      const chunk = Buffer.alloc(256 * 1024, "x")
      const pump = () => {
        while (written.bytes < total && !res.destroyed) {
          written.bytes += chunk.byteLength
          if (!res.write(chunk)) return void res.once("drain", pump)
        }
        if (written.bytes >= total) res.end()
      }
      pump()
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      written,
      close: async () => {
        server.closeAllConnections()
        await new Promise((resolve) => server.close(resolve))
      }
    }
  }

  it.each([
    [200, "UnexpectedResponseError", "unknown"],
    [400, "RejectedError", "not-sent"],
    [503, "ServerError", "unknown"]
  ] as const)(
    "a %i answer of 1.5 GB: the client stops after the cap, the status picks %s",
    async (status, tag, outcome) => {
      const server = await startStreaming(status, 1536 * MiB)
      const rssBefore = process.memoryUsage().rss
      const client = createClient({ apiKey: "key", baseUrl: server.url, retry: false })
      try {
        const error = await rejectionOf(client.sendSessionMessage(send))
        expect(error._tag).toBe(tag)
        expect(error.sendOutcome).toBe(outcome)
        if (error instanceof UnexpectedResponseError) expect(error.bodyExcerpt).toBe("x".repeat(200))
      } finally {
        await client.close()
        await server.close()
      }
      expect(server.written.bytes).toBeLessThan(32 * MiB)
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * MiB)
    }
  )

  it("createClient refuses a maxResponseBytes that is not a positive whole number", () => {
    for (const bad of [0, -5, 0.5, Number.POSITIVE_INFINITY]) {
      expect(() => createClient({ apiKey: "key", baseUrl: emulator.url, maxResponseBytes: bad })).toThrow(
        InvalidOptionsError
      )
    }
  })
})

describe("errors keep excerpts only", () => {
  const heapAfterGc = () => {
    v8.setFlagsFromString("--expose_gc")
    const gc = vm.runInNewContext("gc") as () => void
    for (let i = 0; i < 3; i++) gc()
    return process.memoryUsage().heapUsed
  }

  /** 120 MB of bodies if errors kept them: far above the bound, and quick on a busy machine. */
  const ERRORS = 60

  it.each([
    ["a 2 MB gateway page on a 200, default cap", 200, "h".repeat(2_000_000), undefined],
    ["a 2 MB gateway page on a 200, cap raised to 4 MiB", 200, "h".repeat(2_000_000), 4 * MiB],
    [
      "a 422 with a 2 MB message, cap raised to 4 MiB",
      422,
      JSON.stringify({ data: null, message: "m".repeat(2_000_000), success: false }),
      4 * MiB
    ]
  ] as const)(`${ERRORS} errors from %s do not keep their bodies alive`, async (_, status, body, maxResponseBytes) => {
    emulator.inject({ kind: "status", status, body, times: ERRORS + 1 })
    const client = createClient({
      apiKey: KEY,
      baseUrl: emulator.url,
      retry: false,
      ...(maxResponseBytes === undefined ? {} : { maxResponseBytes })
    })
    const errors: Array<OneRouteError> = []
    try {
      await rejectionOf(client.sendSessionMessage(send)) // warm-up
      const before = heapAfterGc()
      for (let i = 0; i < ERRORS; i++) errors.push(await rejectionOf(client.sendSessionMessage(send)))
      const grown = heapAfterGc() - before
      expect(new Set(errors.map((error) => error._tag)).size).toBe(1)
      expect(grown).toBeLessThan(40 * MiB)
    } finally {
      await client.close()
    }
  })
})
