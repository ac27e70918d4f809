import { readdirSync, readFileSync } from "node:fs"
import { request } from "node:http"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { listen, type NodeHost } from "../src/internal/nodeHost.js"

type Outcome =
  | { kind: "response"; status: number; body: string }
  | { kind: "error"; code: string | undefined; partial: string }

const get = (url: string): Promise<Outcome> =>
  new Promise((resolve) => {
    let partial = ""
    const req = request(url, { agent: false }, (res) => {
      res.setEncoding("utf8")
      res.on("data", (c: string) => {
        partial += c
      })
      res.on("end", () => resolve({ kind: "response", status: res.statusCode ?? 0, body: partial }))
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "error", code: e.code, partial }))
    })
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "error", code: e.code, partial }))
    req.end()
  })

const serve = (body: () => ReadableStream<Uint8Array>): Promise<NodeHost> =>
  listen(async () => new Response(body(), { status: 200, headers: { "content-type": "text/plain" } }), {
    host: "127.0.0.1",
    port: 0
  })

describe("node host", () => {
  it("streams a normal body", async () => {
    const host = await serve(
      () =>
        new ReadableStream({
          start(c) {
            c.enqueue(new TextEncoder().encode("hello "))
            c.enqueue(new TextEncoder().encode("world"))
            c.close()
          }
        })
    )
    try {
      expect(await get(`${host.url}/x`)).toEqual({ kind: "response", status: 200, body: "hello world" })
    } finally {
      await host.close()
    }
  })

  it("destroys the socket when the body errors before the first chunk (no status line at all)", async () => {
    const host = await serve(
      () =>
        new ReadableStream({
          start(c) {
            c.error(new Error("boom"))
          }
        })
    )
    try {
      expect(await get(`${host.url}/x`)).toEqual({ kind: "error", code: "ECONNRESET", partial: "" })
    } finally {
      await host.close()
    }
  })

  it("destroys the socket when the body errors after the first chunk (incomplete response)", async () => {
    const host = await serve(() => {
      let sent = false
      return new ReadableStream({
        async pull(c) {
          if (sent) return c.error(new Error("boom"))
          sent = true
          c.enqueue(new TextEncoder().encode("partial"))
          await new Promise((r) => setTimeout(r, 20))
        }
      })
    })
    try {
      const outcome = await get(`${host.url}/x`)
      expect(outcome.kind).toBe("error")
    } finally {
      await host.close()
    }
  })

  it("close() destroys hanging requests", async () => {
    const host = await listen(() => new Promise<Response>(() => {}), { host: "127.0.0.1", port: 0 })
    const pending = get(`${host.url}/hang`)
    await new Promise((r) => setTimeout(r, 50))
    // close() resolves although the handler never answers (else the test times out)...
    await host.close()
    // ...and the waiting client sees its connection end.
    expect((await pending).kind).toBe("error")
  })
})

describe("portability", () => {
  it("the emulator handler imports no node:* modules", () => {
    const dir = fileURLToPath(new URL("../src/internal/emulator/", import.meta.url))
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts"))
    expect(files.length).toBeGreaterThan(5)
    for (const file of files) {
      const source = readFileSync(`${dir}${file}`, "utf8")
      expect(source, file).not.toMatch(/from\s+["']node:|require\(|\bprocess\.|\bBuffer\b/)
    }
  })
})
