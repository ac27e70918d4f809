/**
 * A page the relay refuses learns why and what to change: the 403 (and the preflight's) names the
 * refused origin and the option that allows it, and the server's log says it once per origin.
 */
import { afterEach, describe, expect, it, vi } from "vitest"
import { fetchRelay, SEND } from "./httpServer.js"

afterEach(() => {
  vi.restoreAllMocks()
})

const relay = () =>
  fetchRelay(
    { authorize: () => true, allowedFrom: [SEND.from], allowedOrigins: ["https://support.example.com"] },
    { apiKey: "relay-key-0123456789", baseUrl: "http://127.0.0.1:9" }
  )

const post = (origin: string, method = "POST") =>
  new Request("http://127.0.0.1/oneroute/api/public/conversation/text", {
    method,
    headers: { origin, "content-type": "application/json" },
    ...(method === "POST" ? { body: JSON.stringify(SEND) } : {})
  })

describe("a refused page origin", () => {
  it("is named in the 403 with the option that allows it, and logged once per origin", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined)
    const handler = relay()
    try {
      const answer = await handler(post("https://evil.example"))
      expect(answer.status).toBe(403)
      const { error } = (await answer.json()) as { error: { serverMessage: string; reason: string } }
      expect(error.reason).toBe("relay-origin")
      expect(error.serverMessage).toContain('"https://evil.example"')
      expect(error.serverMessage).toContain("allowedOrigins")
      const preflight = await handler(post("https://evil.example", "OPTIONS"))
      expect(preflight.status).toBe(403)
      expect(await preflight.text()).toContain("allowedOrigins")
      await handler(post("https://other.example"))
      expect(warn.mock.calls.map(([line]) => String(line).match(/"(https:[^"]+)"/)?.[1])).toEqual([
        "https://evil.example",
        "https://other.example"
      ])
    } finally {
      await handler.close()
    }
  })

  it("cannot flood the log: at most 100 distinct origins are logged, a long one is cut", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined)
    const handler = relay()
    try {
      for (let index = 0; index < 150; index++) await handler(post(`https://page-${index}.example`))
      const long = await handler(post(`https://${"a".repeat(5000)}.example`))
      expect(((await long.json()) as { error: { serverMessage: string } }).error.serverMessage.length).toBeLessThan(500)
      expect(warn).toHaveBeenCalledTimes(100)
    } finally {
      await handler.close()
    }
  })
})
