/**
 * Response bodies are read up to `maxResponseBytes` (default 1 MiB), the transfer stops past it,
 * and errors keep short excerpts only (no error keeps a large body alive).
 */
import type { ServerResponse } from "node:http"
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { gzipSync } from "node:zlib"
import * as Either from "effect/Either"
import { afterEach, describe, expect, it } from "vitest"
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  InvalidOptionsError,
  type OneRouteError,
  RejectedError,
  ServerError,
  UnexpectedResponseError
} from "../src/effect.js"
import { resolveOptions as validateOptions } from "../src/internal/options.js"
import { documentedSuccess } from "./fixtures.js"
import { answer, fetchClient, rejectionOf, SEND, startServer, type TestServer } from "./httpServer.js"

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const MiB = 1024 * 1024

/**
 * Streams `total` bytes (`{"message":"xxxx...` so the start looks like JSON) in 64 KiB chunks,
 * honouring backpressure, and records how many bytes the socket accepted before the client
 * hung up.
 */
const streamBig = (res: ServerResponse, status: number, total: number, written: { bytes: number }) => {
  res.writeHead(status, { "content-type": "application/json" })
  const chunk = Buffer.alloc(64 * 1024, "x")
  const head = Buffer.from('{"message":"')
  let sent = 0
  const pump = () => {
    while (sent < total && !res.destroyed) {
      const piece = sent === 0 ? Buffer.concat([head, chunk.subarray(head.length)]) : chunk
      sent += piece.byteLength
      written.bytes = sent
      if (!res.write(piece)) return void res.once("drain", pump)
    }
    if (sent >= total) res.end()
  }
  pump()
}

const sendAndFail = async (options: { maxResponseBytes?: number } = {}) => {
  const client = fetchClient({ apiKey: "key", baseUrl: server!.url, retry: false, ...options })
  try {
    return (await rejectionOf(client.sendSessionMessage(SEND))) as OneRouteError
  } finally {
    await client.close()
  }
}

describe("maxResponseBytes", () => {
  it("defaults to 1 MiB and must be a positive whole number", () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(MiB)
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "1000"]) {
      const result = validateOptions({ apiKey: "k", maxResponseBytes: bad as number })
      expect(Either.isLeft(result) && result.left).toBeInstanceOf(InvalidOptionsError)
      expect(Either.isLeft(result) && result.left.option).toBe("maxResponseBytes")
      const relay = validateOptions({ relayUrl: "https://relay.example.com/send", maxResponseBytes: bad as number })
      expect(Either.isLeft(relay) && relay.left.option).toBe("maxResponseBytes")
    }
    expect(Either.isRight(validateOptions({ apiKey: "k", maxResponseBytes: 1 }))).toBe(true)
  })

  it.each([
    [200, "UnexpectedResponseError", "unknown"],
    [422, "RejectedError", "not-sent"],
    [500, "ServerError", "unknown"]
  ] as const)(
    "a %i body of 64 MiB: reading stops past the default cap, the status picks %s",
    async (status, tag, outcome) => {
      const written = { bytes: 0 }
      server = await startServer((_, res) => streamBig(res, status, 64 * MiB, written))
      const error = await sendAndFail()
      expect(error._tag).toBe(tag)
      expect(error.sendOutcome).toBe(outcome)
      if (error instanceof UnexpectedResponseError) {
        expect(error.status).toBe(200)
        expect(error.bodyExcerpt).toMatch(/^\{"message":"x+$/)
        expect(error.bodyExcerpt.length).toBe(200)
      }
      // A body cut at the cap is not parsed: no serverMessage made of the first megabyte.
      if (error instanceof RejectedError || error instanceof ServerError) expect(error.serverMessage).toBeUndefined()
      await server.close()
      // The client hung up: the server could not push the whole body (socket buffers hold a few MiB).
      expect(written.bytes).toBeLessThan(24 * MiB)
    }
  )

  it("a body of exactly the cap is read; one byte more is too much", async () => {
    const body = JSON.stringify(documentedSuccess)
    server = await startServer((_, res) => answer(res, 200, body))
    const exact = fetchClient({ apiKey: "key", baseUrl: server.url, maxResponseBytes: Buffer.byteLength(body) })
    try {
      expect((await exact.sendSessionMessage(SEND)).id).toBe(documentedSuccess.data.id)
    } finally {
      await exact.close()
    }
    const error = await sendAndFail({ maxResponseBytes: Buffer.byteLength(body) - 1 })
    expect(error).toBeInstanceOf(UnexpectedResponseError)
    expect(error.sendOutcome).toBe("unknown")
    expect((error as UnexpectedResponseError).bodyExcerpt).toBe(body.slice(0, 200))
  })

  it("a valid envelope padded past the cap is never decoded: chunked, declared, or gzip with a small Content-Length", async () => {
    // Trailing whitespace keeps it valid JSON: only a reader that ignored the cap would succeed.
    const padded = JSON.stringify(documentedSuccess) + " ".repeat(2 * MiB)
    const gzipped = gzipSync(padded)
    expect(gzipped.byteLength).toBeLessThan(64 * 1024)
    const forms: Array<(res: ServerResponse) => void> = [
      // No Content-Length: a write before end() makes Node send it chunked.
      (res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.write(padded)
        res.end()
      },
      (res) => answer(res, 200, padded),
      // The declared length is the compressed size, well under the cap; fetch inflates it.
      (res) =>
        void res
          .writeHead(200, {
            "content-type": "application/json",
            "content-encoding": "gzip",
            "content-length": String(gzipped.byteLength)
          })
          .end(gzipped)
    ]
    for (const form of forms) {
      server = await startServer((_, res) => form(res))
      const error = await sendAndFail()
      expect(error).toBeInstanceOf(UnexpectedResponseError)
      expect(error.sendOutcome).toBe("unknown")
      expect((error as UnexpectedResponseError).bodyExcerpt).toBe(JSON.stringify(documentedSuccess).slice(0, 200))
      await server.close()
    }
  })

  it("a 4xx/5xx whose body breaks off is still classified by its status", async () => {
    for (const [status, tag] of [
      [404, "RejectedError"],
      [502, "ServerError"]
    ] as const) {
      server = await startServer((_, res) => {
        res.writeHead(status, { "content-type": "application/json", "content-length": "1000" })
        res.write('{"message":"half')
        setTimeout(() => res.destroy(), 50)
      })
      const error = await sendAndFail()
      expect(error._tag).toBe(tag)
      await server.close()
    }
  })
})

/** `global.gc`, without starting Node with `--expose-gc`. */
const gc = (): (() => void) => {
  v8.setFlagsFromString("--expose_gc")
  return vm.runInNewContext("gc") as () => void
}

const heapAfterGc = (collect: () => void) => {
  for (let i = 0; i < 3; i++) collect()
  return process.memoryUsage().heapUsed
}

/** 120 MB of bodies if errors kept them: far above the bound, and quick on a busy machine. */
const ERRORS = 60

describe("errors keep excerpts, never whole bodies", () => {
  it.each([
    ["200 HTML, under a raised cap", 200, 4 * MiB, "UnexpectedResponseError"],
    ["422 JSON message, under a raised cap", 422, 4 * MiB, "RejectedError"],
    ["200 HTML, over the default cap", 200, undefined, "UnexpectedResponseError"]
  ] as const)(
    `${ERRORS} errors from 2 MB bodies (%s) do not keep their bodies alive`,
    async (_, status, maxResponseBytes, tag) => {
      const collect = gc()
      const body = (i: number) =>
        status === 422
          ? JSON.stringify({ data: null, message: `refused ${i} ${"m".repeat(2_000_000)}`, success: false })
          : `<html>${i} ${"h".repeat(2_000_000)}</html>`
      let count = 0
      server = await startServer((_, res) => answer(res, status, body(count++), "text/plain"))
      const client = fetchClient({
        apiKey: "key",
        baseUrl: server.url,
        retry: false,
        ...(maxResponseBytes === undefined ? {} : { maxResponseBytes })
      })
      const errors: Array<unknown> = []
      try {
        await rejectionOf(client.sendSessionMessage(SEND)) // warm-up: connections, lazily loaded code
        const before = heapAfterGc(collect)
        for (let i = 0; i < ERRORS; i++) errors.push(await rejectionOf(client.sendSessionMessage(SEND)))
        const grown = heapAfterGc(collect) - before
        expect(errors.every((error) => (error as OneRouteError)._tag === tag)).toBe(true)
        const last = errors.at(-1)
        const shown = last instanceof UnexpectedResponseError ? last.bodyExcerpt : (last as RejectedError).serverMessage
        expect(shown?.length).toBeLessThanOrEqual(500)
        // Retained bodies would be 120 MB; excerpts are a few dozen KB.
        expect(grown).toBeLessThan(40 * MiB)
      } finally {
        await client.close()
      }
    }
  )
})
