import { once } from "node:events"
import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { relayHandler, toNodeListener } from "@oneroute/node"
import { type Emulator, startEmulator } from "@oneroute/testkit"
import { afterEach, describe, expect, it } from "vitest"

/**
 * `toNodeListener`'s doc comment is how teams mount the relay: its mounts must carry sends. Real
 * HTTP on loopback: the emulator, a relay mounted as the comment says, and what a page in relay mode
 * (`relayUrl: "/oneroute"`) posts to it.
 */
const BUSINESS = "2348000000001"
const CUSTOMER = "2348012345678"
const doc = readFileSync(new URL("../../../packages/node/src/NodeListener.ts", import.meta.url), "utf8")

const closing: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close()
})

/** What `app.use("/oneroute", listener)` does in Express and Connect: the prefix leaves `req.url`. */
const use =
  (prefix: string, listener: (req: IncomingMessage, res: ServerResponse) => void) =>
  (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith(`${prefix}/`)) {
      req.url = req.url.slice(prefix.length)
      return listener(req, res)
    }
    res.writeHead(404).end("not found")
  }

/** What `app.post(path, listener)` does: that exact path only. */
const post =
  (path: string, listener: (req: IncomingMessage, res: ServerResponse) => void) =>
  (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "POST" && req.url === path) return listener(req, res)
    res.writeHead(404).end("not found")
  }

const serve = async (
  emulator: Emulator,
  mount: (toRelay: (req: IncomingMessage, res: ServerResponse) => void) => Parameters<typeof createServer>[1]
) => {
  const server = createServer()
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const relay = relayHandler({
    apiKey: emulator.apiKey,
    baseUrl: emulator.url,
    allowedFrom: [BUSINESS],
    publicUrl: `${origin}/oneroute`,
    authorize: () => true
  })
  server.on("request", mount(toNodeListener(relay)) as never)
  closing.push(async () => {
    server.closeAllConnections()
    server.close()
    await relay.close()
  })
  return origin
}

/** What the browser client in relay mode (`relayUrl: "/oneroute"`) sends for one session message. */
const pagePost = (origin: string, message: string) =>
  fetch(`${origin}/oneroute/api/public/conversation/text`, {
    method: "POST",
    headers: { "content-type": "application/json", origin, "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ from: BUSINESS, to: CUSTOMER, message })
  })

describe("the mounts toNodeListener's doc comment shows", () => {
  it("names the prefix mounts, not the exact-path one", () => {
    expect(doc).toContain('app.use("/oneroute", toNodeListener(relay))')
    expect(doc).toContain('req.url?.startsWith("/oneroute/") ? toRelay(req, res)')
    expect(doc).toContain('createClient({ relayUrl: "/oneroute" })')
  })

  it("carry a send: app.use-style and node:http prefix mounts; the exact path 404s every send", async () => {
    const emulator = await startEmulator()
    closing.push(() => emulator.close())
    emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
    const mounts = {
      "app.use": (toRelay: (req: IncomingMessage, res: ServerResponse) => void) => use("/oneroute", toRelay),
      "node:http":
        (toRelay: (req: IncomingMessage, res: ServerResponse) => void) => (req: IncomingMessage, res: ServerResponse) =>
          req.url?.startsWith("/oneroute/") ? toRelay(req, res) : void res.writeHead(404).end("not found")
    }
    for (const [name, mount] of Object.entries(mounts)) {
      const origin = await serve(emulator, mount)
      const response = await pagePost(origin, `through ${name}`)
      expect(response.status, name).toBe(200)
      expect(((await response.json()) as { data: { id: string } }).data.id).toBe(emulator.sent().at(-1)?.id)
    }
    expect(emulator.sent().map((m) => m.message)).toEqual(["through app.use", "through node:http"])

    // The old example: every send a 404, nothing reaches OneRoute.
    const origin = await serve(emulator, (toRelay) => post("/oneroute/send", toRelay))
    expect((await pagePost(origin, "lost")).status).toBe(404)
    expect(emulator.sent()).toHaveLength(2)
  })
})
