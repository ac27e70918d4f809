import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { existsSync, readFileSync } from "node:fs"
import { request as httpRequest } from "node:http"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

/**
 * The console's own input route (`/demo/inbound`) under hostile requests, through real HTTP on
 * loopback against the built CLI's `serve`: only the console's page, a bounded body, JSON; the
 * server answers each with a clear status and stays up, and its memory does not follow the body.
 */
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))
const LIMIT = 1024
const MiB = 1024 * 1024

let server: ChildProcess
let url: string

beforeAll(async () => {
  server = spawn(process.execPath, [main, "serve", "--port", "0"], {
    env: { PATH: process.env.PATH },
    stdio: ["ignore", "pipe", "inherit"]
  })
  const [line] = (await once(server.stdout!, "data")) as [Buffer]
  url = /http:\/\/127\.0\.0\.1:\d+/.exec(line.toString())?.[0] ?? ""
})

afterAll(() => {
  server?.kill("SIGTERM")
})

const inbound = (body: string, headers: Record<string, string> = { origin: url }, method = "POST") =>
  fetch(`${url}/demo/inbound`, { method, headers, ...(method === "GET" ? {} : { body }) })

const stillUp = async () => {
  expect((await fetch(url)).status).toBe(200)
  expect((await inbound(JSON.stringify({ customer: "+234 801 234 5678" }))).status).toBe(204)
}

/** KiB of the server's resident memory: now, and its peak so far (Linux). */
const memory = () => {
  const status = readFileSync(`/proc/${server.pid}/status`, "utf8")
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1])
  return { rss: field("VmRSS"), peak: field("VmHWM") }
}

/**
 * POSTs `total` bytes of `fill` in 64 KiB chunks, with a Content-Length or chunked; resolves with
 * the answer and how much the client managed to write before it came (or the socket closed).
 */
const stream = (total: number, declare: boolean, origin = url) =>
  new Promise<{ status: number; body: string; written: number }>((resolve, reject) => {
    let written = 0
    let answered = false
    const req = httpRequest(
      `${url}/demo/inbound`,
      {
        method: "POST",
        agent: false,
        headers: { origin, "content-type": "application/json", ...(declare ? { "content-length": total } : {}) }
      },
      (res) => {
        answered = true
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), written })
          req.destroy()
        })
        res.on("error", () => {})
      }
    )
    // Once answered, the server closes the connection: the rest of the upload fails, as it should.
    req.on("error", (error) => {
      if (!answered) reject(error)
    })
    const chunk = Buffer.alloc(64 * 1024, "[")
    const pump = () => {
      while (written < total && !answered && !req.destroyed) {
        written += chunk.byteLength
        if (!req.write(chunk)) return void req.once("drain", pump)
      }
      if (!answered && !req.destroyed) req.end()
    }
    pump()
  })

describe("the console's /demo/inbound", () => {
  it("opens the window for its own page", async () => {
    expect((await inbound(JSON.stringify({ customer: "+234 801 234 5678" }))).status).toBe(204)
  })

  it("refuses every other origin, and a request without one, with 403", async () => {
    const body = JSON.stringify({ customer: "+234 801 234 5678" })
    const port = new URL(url).port
    for (const origin of [
      "https://evil.example",
      `http://localhost:${port}`,
      `http://127.0.0.1:${Number(port) + 1}`,
      `https://127.0.0.1:${port}`,
      "null"
    ]) {
      const response = await inbound(body, { origin })
      expect(response.status, origin).toBe(403)
      expect(response.headers.get("access-control-allow-origin")).toBeNull()
      expect(await response.text()).toMatch(/Only the console's own page/)
    }
    expect((await inbound(body, {})).status).toBe(403)
    await stillUp()
  })

  it(`a body past ${LIMIT} bytes is a 413, declared or streamed, and reading stops there`, async () => {
    const declared = await stream(256 * MiB, true)
    expect(declared.status).toBe(413)
    expect(declared.body).toBe(`The body must not exceed ${LIMIT} bytes`)
    const before = existsSync(`/proc/${server.pid}/status`) ? memory() : undefined
    const chunked = await stream(256 * MiB, false)
    expect(chunked.status).toBe(413)
    // The client could not push the 256 MiB: the server stopped reading (a few MiB of socket
    // buffers and the 1 MiB it drops to let the answer through).
    expect(chunked.written).toBeLessThan(64 * MiB)
    if (before !== undefined) {
      // Nothing of the body is kept: the peak stays where it was, give or take 32 MiB.
      expect(memory().peak - before.peak).toBeLessThan(32 * 1024)
    }
    // A body just past the limit, too.
    expect((await inbound(JSON.stringify({ customer: "1".repeat(LIMIT) }))).status).toBe(413)
    await stillUp()
  })

  it("malformed, deep or wrongly shaped JSON is a 400 with what it expects; GET is a 405", async () => {
    for (const body of [
      "{oops",
      "",
      "\u00ff\u00fe",
      "[".repeat(LIMIT),
      `${"[".repeat(500)}${"]".repeat(500)}`,
      `{"customer":${"[".repeat(400)}${"]".repeat(400)}}`,
      "null",
      "[]",
      '"2348012345678"',
      JSON.stringify({ customer: 2348012345678 }),
      JSON.stringify({ customer: "1".repeat(65) }),
      JSON.stringify({ __proto__: { customer: "2348012345678" } })
    ]) {
      const response = await inbound(body)
      expect(response.status, body.slice(0, 40)).toBe(400)
      expect(await response.text()).toBe(
        'Expected JSON { "customer": "<a WhatsApp number>", "text"?: "<what the customer writes>" }'
      )
    }
    const invalidUtf8 = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${url}/demo/inbound`, { method: "POST", headers: { origin: url } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on("error", reject)
      req.end(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))
    })
    expect(invalidUtf8).toBe(400)
    const get = await inbound("", { origin: url }, "GET")
    expect(get.status).toBe(405)
    expect(get.headers.get("allow")).toBe("POST")
    await stillUp()
  })

  it("many hostile requests at once leave it answering", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0
          ? stream(8 * MiB, false).then((r) => r.status)
          : i % 4 === 1
            ? inbound("{", { origin: url }).then((r) => r.status)
            : i % 4 === 2
              ? inbound("{}", { origin: "https://evil.example" }).then((r) => r.status)
              : inbound(JSON.stringify({ customer: "+234 801 234 5678" })).then((r) => r.status)
      )
    )
    expect(answers.filter((s) => s === 413)).toHaveLength(10)
    expect(answers.filter((s) => s === 400)).toHaveLength(10)
    expect(answers.filter((s) => s === 403)).toHaveLength(10)
    expect(answers.filter((s) => s === 204)).toHaveLength(10)
    await stillUp()
  })
})
