/** Invalid input is echoed in InvalidInputError messages only in short: no 10 MB messages. */
import * as v8 from "node:v8"
import * as vm from "node:vm"
import { afterEach, describe, expect, it } from "vitest"
import { InvalidInputError } from "../src/effect.js"
import { fetchClient, rejectionOf, SEND, startServer, type TestServer } from "./httpServer.js"

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const TEN_MB = 10_000_000

const heapAfterGc = () => {
  v8.setFlagsFromString("--expose_gc")
  const gc = vm.runInNewContext("gc") as () => void
  for (let i = 0; i < 3; i++) gc()
  return process.memoryUsage().heapUsed
}

describe("InvalidInputError echoes at most 100 characters of a value", () => {
  it("a 10 MB `to`, a 10 MB `from` of another type: short messages that say how long the value was", async () => {
    server = await startServer((_, res) => void res.writeHead(500).end())
    const client = fetchClient({ apiKey: "key", baseUrl: server.url })
    try {
      const error = await rejectionOf(
        client.sendSessionMessage({ ...SEND, to: "1".repeat(TEN_MB), from: ["2".repeat(TEN_MB)] as unknown as string })
      )
      expect(error).toBeInstanceOf(InvalidInputError)
      const { issues, message } = error as InvalidInputError
      expect(issues.map((issue) => issue.path)).toEqual([["from"], ["to"]])
      expect(issues[1]?.message).toMatch(/^Expected a WhatsApp number: .*, got "1{99}… \(10000000 characters\)$/)
      expect(issues[0]?.message).toMatch(/^Expected string, actual \["2+… \(message cut, 10000028 characters\)$/)
      for (const issue of issues) expect(issue.message.length).toBeLessThan(400)
      expect(message.length).toBeLessThan(1000)
      expect(JSON.stringify(error).length).toBeLessThan(1500)
      expect(server.requests).toHaveLength(0)
    } finally {
      await client.close()
    }
  })

  it("20 such errors do not keep 200 MB of input alive", async () => {
    server = await startServer((_, res) => void res.writeHead(500).end())
    const client = fetchClient({ apiKey: "key", baseUrl: server.url })
    const errors: Array<unknown> = []
    try {
      await rejectionOf(client.sendSessionMessage({ ...SEND, to: "x" })) // warm-up
      const before = heapAfterGc()
      for (let i = 0; i < 20; i++) {
        errors.push(await rejectionOf(client.sendSessionMessage({ ...SEND, to: String(i).repeat(TEN_MB) })))
      }
      const grown = heapAfterGc() - before
      expect(errors.every((error) => error instanceof InvalidInputError)).toBe(true)
      expect(grown).toBeLessThan(40 * 1024 * 1024)
    } finally {
      await client.close()
    }
  })
})
