/**
 * A proxy named by HTTP_PROXY that captures a send to this machine's loopback (where the proxy
 * cannot reach) is named in the NetworkError, with what to do; NO_PROXY lets the send through.
 */
import { createServer } from "node:net"
import { startEmulator } from "@oneroute/testkit"
import { afterEach, describe, expect, it } from "vitest"
import { createClient, NetworkError } from "../src/index.js"

/** The emulator's default channel. */
const BUSINESS = "2348000000001"
const saved = { ...process.env }
afterEach(() => {
  for (const name of ["HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"]) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
})

/** A loopback port where nothing listens: the "proxy" the environment names. */
const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe("a proxy from the environment and a loopback OneRoute", () => {
  it("the NetworkError names the proxy (without its password) and says to set NO_PROXY; NO_PROXY fixes it", async () => {
    const emulator = await startEmulator()
    try {
      emulator.receiveInbound({ from: "2348012345678", to: BUSINESS })
      delete process.env.http_proxy
      delete process.env.no_proxy
      delete process.env.NO_PROXY
      process.env.HTTP_PROXY = `http://user:s3cret@127.0.0.1:${await closedPort()}`
      const send = { from: BUSINESS, to: "2348012345678", message: "hello" }
      const proxied = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, retry: false })
      const error = await proxied.sendSessionMessage(send).catch((e: unknown) => e)
      await proxied.close()
      expect(error).toBeInstanceOf(NetworkError)
      const reason = (error as NetworkError).reason
      expect(reason).toContain("HTTP_PROXY")
      expect(reason).toContain("NO_PROXY")
      expect(reason).not.toContain("s3cret")
      expect((error as NetworkError).sendOutcome).toBe("not-sent")
      expect(emulator.sent()).toHaveLength(0)

      process.env.NO_PROXY = "localhost,127.0.0.1,::1"
      const bypassing = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, retry: false })
      await bypassing.sendSessionMessage(send)
      await bypassing.close()
      expect(emulator.sent()).toHaveLength(1)
    } finally {
      await emulator.close()
    }
  })
})
