/**
 * What a client library is expected to offer on Node: a per-call `timeout`, a `dispatcher` of
 * your own, and `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` honoured, through a real CONNECT proxy.
 */
import { execFile } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:https"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { type Emulator, startEmulator } from "@oneroute/testkit"
import { documentedSuccessBody } from "@oneroute/testkit/conformance"
import * as Effect from "effect/Effect"
import { type Agent, EnvHttpProxyAgent, ProxyAgent } from "undici"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { createClient, InvalidOptionsError, layer, OneRoute, RequestTimeoutError } from "../src/effect.js"
import { selfSignedCertificate } from "./support/certificate.js"
import { type ConnectProxy, startConnectProxy } from "./support/connectProxy.js"

const CUSTOMER = "2348012345678"
const FROM = "2348000000001"
const send = { from: FROM, to: CUSTOMER, message: "hi" }
let emulator: Emulator
let proxy: ConnectProxy
beforeAll(async () => {
  emulator = await startEmulator()
  proxy = await startConnectProxy()
})
afterAll(async () => {
  await proxy.close()
  await emulator.close()
})
beforeEach(() => {
  emulator.reset()
  emulator.receiveInbound({ from: CUSTOMER, to: FROM })
  proxy.tunnels.length = 0
})

const PROXY_NAMES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"] as const
/** Runs `body` with exactly these proxy variables set (the others unset), restoring them after. */
const withProxyEnv = async <A>(
  values: Partial<Record<(typeof PROXY_NAMES)[number], string>>,
  body: () => Promise<A>
) => {
  const saved = PROXY_NAMES.map((name) => [name, process.env[name]] as const)
  for (const name of PROXY_NAMES) delete process.env[name]
  Object.assign(process.env, values)
  try {
    return await body()
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

const emulatorHost = () => new URL(emulator.url).host

describe("per-call timeout", () => {
  it("replaces the client's timeout for one send, in milliseconds", async () => {
    const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, timeout: 60_000 })
    try {
      emulator.inject({ kind: "hang" })
      const error = await client.sendSessionMessage(send, { timeout: 200 }).then(
        () => undefined,
        (error: unknown) => error
      )
      expect(error).toBeInstanceOf(RequestTimeoutError)
      expect((error as RequestTimeoutError).timeoutMs).toBe(200)
      expect((error as RequestTimeoutError).message).toMatch(/within 200 ms/)
      // The next send has the client's timeout again.
      expect((await client.sendSessionMessage(send)).content).toBe("hi")
    } finally {
      await client.close()
    }
  })

  it("an unusable timeout rejects with InvalidOptionsError and sends nothing", async () => {
    const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url })
    try {
      for (const timeout of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        const error = await client.sendSessionMessage(send, { timeout }).then(
          () => undefined,
          (error: unknown) => error
        )
        expect(error, String(timeout)).toBeInstanceOf(InvalidOptionsError)
        expect((error as InvalidOptionsError).option).toBe("timeout")
      }
      expect(emulator.requests()).toBe(0)
    } finally {
      await client.close()
    }
  })
})

describe("dispatcher", () => {
  it("createClient and layer send through the given dispatcher, which the SDK does not close", async () => {
    const dispatcher = new ProxyAgent(proxy.url)
    try {
      const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, dispatcher })
      expect((await client.sendSessionMessage(send)).content).toBe("hi")
      await client.close()
      const message = await Effect.runPromise(
        Effect.provide(
          OneRoute.sendSessionMessage({ ...send, message: "from the layer" }),
          layer({ apiKey: emulator.apiKey, baseUrl: emulator.url, dispatcher })
        )
      )
      expect(message.content).toBe("from the layer")
      expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1)
      expect(new Set(proxy.tunnels)).toEqual(new Set([emulatorHost()]))
      expect(emulator.sent()).toHaveLength(2)
      // Still usable: the SDK never closed it.
      const again = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, dispatcher })
      expect((await again.sendSessionMessage(send)).content).toBe("hi")
      await again.close()
    } finally {
      await dispatcher.close()
    }
  })

  it("something that is not a dispatcher is an InvalidOptionsError", () => {
    expect(() => createClient({ apiKey: "k", baseUrl: emulator.url, dispatcher: {} as unknown as Agent })).toThrow(
      InvalidOptionsError
    )
  })
})

describe("proxy variables", () => {
  it("HTTP_PROXY: the default client tunnels through the proxy with CONNECT", async () => {
    await withProxyEnv({ HTTP_PROXY: proxy.url }, async () => {
      const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url })
      try {
        expect((await client.sendSessionMessage(send)).content).toBe("hi")
      } finally {
        await client.close()
      }
    })
    expect(proxy.tunnels).toEqual([emulatorHost()])
    expect(emulator.sent()).toHaveLength(1)
  })

  it("NO_PROXY=127.0.0.1 bypasses it; no proxy variable, no proxy", async () => {
    for (const env of [{ HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" }, {}]) {
      await withProxyEnv(env, async () => {
        const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url })
        try {
          expect((await client.sendSessionMessage(send)).content).toBe("hi")
        } finally {
          await client.close()
        }
      })
    }
    expect(proxy.tunnels).toEqual([])
    expect(emulator.sent()).toHaveLength(2)
  })

  it("a proxy that refuses the connection is NetworkError not-sent (nothing left for OneRoute)", async () => {
    const closed = await startConnectProxy()
    await closed.close()
    await withProxyEnv({ HTTP_PROXY: closed.url }, async () => {
      const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, retry: false })
      try {
        const error = await client.sendSessionMessage(send).then(
          () => undefined,
          (error: unknown) => error
        )
        expect(error).toMatchObject({ _tag: "NetworkError", sendOutcome: "not-sent" })
      } finally {
        await client.close()
      }
    })
    expect(emulator.requests()).toBe(0)
  })

  describe("an https target through CONNECT (self-signed certificate)", () => {
    const { key, cert } = selfSignedCertificate()
    const served: Array<string> = []
    const server = createServer({ key, cert }, (request, response) => {
      served.push(`${request.method} ${request.url} ${request.headers.apikey === "tls-key" ? "key" : "no key"}`)
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(documentedSuccessBody))
    })
    let baseUrl: string
    beforeAll(async () => {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
      baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
    afterEach(() => {
      served.length = 0
    })

    it("with HTTPS_PROXY and a dispatcher that trusts the certificate", async () => {
      await withProxyEnv({ HTTPS_PROXY: proxy.url }, async () => {
        const dispatcher = new EnvHttpProxyAgent({ requestTls: { ca: cert } })
        const client = createClient({ apiKey: "tls-key", baseUrl, dispatcher })
        try {
          expect((await client.sendSessionMessage(send)).id).toBe(documentedSuccessBody.data.id)
        } finally {
          await client.close()
          await dispatcher.close()
        }
      })
      expect(proxy.tunnels).toEqual([new URL(baseUrl).host])
      expect(served).toEqual(["POST /api/public/conversation/text key"])
    })

    it("with HTTPS_PROXY and the default client (a Node that trusts the certificate: NODE_EXTRA_CA_CERTS)", async () => {
      const dir = mkdtempSync(join(tmpdir(), "oneroute-proxy-"))
      try {
        writeFileSync(join(dir, "ca.pem"), cert)
        const entry = pathToFileURL(join(import.meta.dirname, "..", "dist", "index.js")).href
        const script = `
          const { createClient } = await import(${JSON.stringify(entry)})
          const client = createClient({ apiKey: "tls-key", baseUrl: ${JSON.stringify(baseUrl)} })
          const message = await client.sendSessionMessage(${JSON.stringify(send)})
          await client.close()
          console.log(message.id)`
        const env: Record<string, string | undefined> = {
          ...process.env,
          HTTPS_PROXY: proxy.url,
          NODE_EXTRA_CA_CERTS: join(dir, "ca.pem")
        }
        for (const name of ["HTTP_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy"]) delete env[name]
        const output = await new Promise<string>((resolve, reject) =>
          execFile(process.execPath, ["--input-type=module", "-e", script], { env }, (error, stdout, stderr) =>
            error === null ? resolve(stdout) : reject(new Error(`${error.message}\n${stderr}`))
          )
        )
        expect(output.trim()).toBe(documentedSuccessBody.data.id)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
      expect(proxy.tunnels).toEqual([new URL(baseUrl).host])
      expect(served).toEqual(["POST /api/public/conversation/text key"])
    })
  })
})
