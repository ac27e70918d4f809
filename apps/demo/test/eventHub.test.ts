import { once } from "node:events"
import { createServer, request } from "node:http"
import type { AddressInfo } from "node:net"
import { afterEach, expect, it } from "vitest"
import { formatEvent, makeEventHub } from "../src/console/eventHub.js"

/** The stream's bounds, on a real HTTP server with a client that stops reading. */
const servers: Array<{ close: () => void }> = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

const start = async (limits: { maxClients: number; maxQueuedEvents: number }) => {
  const hub = makeEventHub(limits)
  const server = createServer((_req, res) => hub.attach(res, formatEvent("snapshot", {})))
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  servers.push({
    close: () => {
      hub.close()
      server.closeAllConnections()
      server.close()
    }
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  return { hub, url }
}

it("disconnects a client that leaves more than maxQueuedEvents unread; a reading client keeps up", async () => {
  const { hub, url } = await start({ maxClients: 2, maxQueuedEvents: 4 })
  // The stalled client reads its headers and then nothing more.
  const stalled = await new Promise<import("node:http").IncomingMessage>((resolve) => request(url, resolve).end())
  stalled.pause()
  const closed = once(stalled.socket, "close")
  stalled.on("error", () => {})
  const reading = await (await fetch(url)).body!.getReader()
  let received = 0
  const readAll = (async () => {
    for (;;) {
      const { value, done } = await reading.read()
      if (done) return
      received += value.byteLength
    }
  })()
  const big = formatEvent("conversation", { pad: "x".repeat(256 * 1024) })
  const first = formatEvent("snapshot", {}).length
  let sent = 0
  // One event at a time, each read whole by the reading client before the next: only the stalled
  // client's socket fills, then 4 more events wait for it, and the next one drops it.
  while (hub.size() === 2 && sent < 1_000) {
    hub.broadcast(big)
    sent += 1
    await expect
      .poll(() => received, { timeout: 30_000, interval: 1 })
      .toBeGreaterThanOrEqual(first + sent * big.length)
  }
  expect(hub.size()).toBe(1)
  // Reading again, the stalled client finds its connection closed by the server.
  stalled.resume()
  await closed
  // Dropped once its socket buffers were full (a few MiB on loopback), long before 1,000 events.
  expect(sent).toBeLessThan(1_000)
  await reading.cancel()
  await readAll
})

it("answers 503 past maxClients", async () => {
  const { url } = await start({ maxClients: 1, maxQueuedEvents: 4 })
  const first = await fetch(url)
  expect(first.status).toBe(200)
  const second = await fetch(url)
  expect(second.status).toBe(503)
  expect(await second.text()).toMatch(/At most 1 console pages can be open at once/)
  await first.body?.cancel()
})
