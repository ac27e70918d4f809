import { once } from "node:events"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { InvalidOptionsError } from "@oneroute/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { mountBoard } from "../src/Board.js"
import { type Campaigns, makeCampaigns } from "../src/index.js"
import { BUSINESS, customer, type Servers, startServers } from "./support/setup.js"

let servers: Servers
let campaigns: Campaigns

beforeAll(async () => {
  servers = await startServers()
  campaigns = makeCampaigns({ redis: servers.redis.url, queueName: "boarded", durability: "best-effort" })
  await campaigns.enqueue({
    campaignId: "board-1",
    from: BUSINESS,
    recipients: [0, 1, 2].map((i) => ({ to: customer(i), message: `Hello ${i}` }))
  })
})
afterAll(async () => {
  await campaigns?.close()
  await servers?.stop()
})

/** Serves the board on a free loopback port for one test. */
const serve = async (options: Parameters<typeof mountBoard>[1]) => {
  const server: Server = createServer(await mountBoard(campaigns, options))
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    [Symbol.asyncDispose]: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

describe("mountBoard", () => {
  it("serves Bull Board's page and its API listing the campaigns' queue, read-only", async () => {
    await using board = await serve({ basePath: "/board" })
    const page = await fetch(`${board.origin}/board`)
    expect(page.status).toBe(200)
    expect(page.headers.get("content-type")).toContain("text/html")
    expect(page.headers.get("x-powered-by")).toBeNull()
    const html = await page.text()
    expect(html).toContain('<base href="/board/" />')
    expect(html).toContain('"boardTitle":"OneRoute campaigns"')
    const stylesheet = /href="(static\/css\/[^"]+\.css)"/.exec(html)?.[1]
    const css = await fetch(`${board.origin}/board/${stylesheet}`)
    expect(css.status).toBe(200)
    expect(css.headers.get("content-type")).toContain("text/css")

    const api = await fetch(`${board.origin}/board/api/queues?activeQueue=boarded&status=waiting`)
    expect(api.status).toBe(200)
    const { queues } = (await api.json()) as {
      queues: Array<{ name: string; readOnlyMode: boolean; counts: Record<string, number>; jobs: Array<unknown> }>
    }
    expect(queues.map((queue) => queue.name)).toEqual(["boarded"])
    expect(queues[0]?.readOnlyMode).toBe(true)
    expect(queues[0]?.counts.waiting).toBe(3)

    // Read-only: pausing is refused and the queue keeps running.
    const pause = await fetch(`${board.origin}/board/api/queues/boarded/pause`, { method: "PUT" })
    expect(pause.status).toBeGreaterThanOrEqual(400)
    const after = (await (await fetch(`${board.origin}/board/api/queues`)).json()) as {
      queues: Array<{ isPaused: boolean }>
    }
    expect(after.queues[0]?.isPaused).toBe(false)
    // Outside the base path there is nothing.
    expect((await fetch(`${board.origin}/elsewhere`)).status).toBe(404)
  })

  it("with readOnly: false the board can pause and resume the queue", async () => {
    await using board = await serve({ basePath: "/ops/board/", readOnly: false })
    const queuesOf = async () =>
      ((await (await fetch(`${board.origin}/ops/board/api/queues`)).json()) as { queues: Array<{ isPaused: boolean }> })
        .queues
    expect((await fetch(`${board.origin}/ops/board/api/queues/boarded/pause`, { method: "PUT" })).status).toBe(200)
    expect((await queuesOf())[0]?.isPaused).toBe(true)
    expect((await fetch(`${board.origin}/ops/board/api/queues/boarded/resume`, { method: "PUT" })).status).toBe(200)
    expect((await queuesOf())[0]?.isPaused).toBe(false)
  })

  it("answers hostile requests without a server error", async () => {
    await using board = await serve({ basePath: "/board" })
    const paths = [
      "/board/api/queues/%2e%2e%2f%2e%2e/pause",
      `/board/api/queues/${"x".repeat(10_000)}/1/logs`,
      "/board/api/queues/boarded/%00/logs",
      "/board/api/queues?activeQueue=%ff&page=-1&jobsPerPage=1e309",
      "/board/static/..%2f..%2fpackage.json"
    ]
    for (const path of paths) {
      const response = await fetch(`${board.origin}${path}`)
      await response.arrayBuffer()
      expect(response.status, path).toBeLessThan(500)
    }
  })

  it("refuses a bad base path and objects not made by makeCampaigns", async () => {
    for (const basePath of ["", "board", "/bo ard", "//evil.example", "/a?b", `/${"a".repeat(300)}`]) {
      await expect(mountBoard(campaigns, { basePath }), basePath).rejects.toBeInstanceOf(InvalidOptionsError)
    }
    await expect(mountBoard({ ...campaigns }, { basePath: "/board" })).rejects.toBeInstanceOf(InvalidOptionsError)
  })
})
