import { execFileSync, spawn } from "node:child_process"
import { readdirSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it, vi } from "vitest"
import { startReceiver } from "./webhookReceiver.js"

const pkg = fileURLToPath(new URL("..", import.meta.url))
const binJs = `${pkg}dist/bin.js`

const newestSource = (dir: string): number =>
  Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newestSource(`${dir}/${e.name}`) : statSync(`${dir}/${e.name}`).mtimeMs
    )
  )

beforeAll(() => {
  // Build (this package only) when dist is missing or older than src, so the test exercises the current code.
  let built = 0
  try {
    statSync(binJs)
    built = statSync(`${pkg}tsconfig.build.tsbuildinfo`).mtimeMs
  } catch {}
  if (built < newestSource(`${pkg}src`)) {
    execFileSync(
      process.execPath,
      [createRequire(import.meta.url).resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"],
      {
        cwd: pkg,
        stdio: "inherit"
      }
    )
  }
}, 60_000)

describe("oneroute-emulator bin", () => {
  it("prints one JSON line, serves requests, exits cleanly on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      [
        binJs,
        "--port",
        "0",
        "--api-key",
        "bin-key",
        "--channel",
        "2348000000001=Bin Shop",
        "--channel",
        "447700900123"
      ],
      {
        cwd: pkg,
        stdio: ["ignore", "pipe", "inherit"]
      }
    )
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve)
        child.once("exit", () => reject(new Error("bin exited before printing")))
      })
      const info = JSON.parse(line) as { url: string; apiKey: string; channels: unknown }
      expect(Object.keys(info)).toEqual(["url", "apiKey", "channels"])
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(info.apiKey).toBe("bin-key")
      expect(info.channels).toEqual([
        { number: "2348000000001", name: "Bin Shop" },
        { number: "447700900123", name: "447700900123" }
      ])
      const inbound = await fetch(`${info.url}/__emulator/inbound`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: "2348012345678", to: "447700900123" })
      })
      expect(inbound.status).toBe(200)
      const response = await fetch(`${info.url}/api/public/conversation/text`, {
        method: "POST",
        headers: { apiKey: info.apiKey, "content-type": "application/json" },
        body: JSON.stringify({ from: "447700900123", to: "2348012345678", message: "from the bin" })
      })
      expect(response.status).toBe(200)
      expect(((await response.json()) as { data: { sender: { name: string } } }).data.sender.name).toBe("447700900123")
    } finally {
      child.kill("SIGTERM")
    }
    expect(await exited).toBe(0)
  })

  it("serves its key only to loopback pages, or to --allow-origin's; bounds faults and the clock", async () => {
    const run = async (args: Array<string>, check: (url: string) => Promise<void>) => {
      const child = spawn(process.execPath, [binJs, "--port", "0", ...args], {
        cwd: pkg,
        stdio: ["ignore", "pipe", "inherit"]
      })
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
      try {
        const line = await new Promise<string>((resolve, reject) => {
          createInterface({ input: child.stdout }).once("line", resolve)
          child.once("exit", () => reject(new Error("bin exited before printing")))
        })
        await check((JSON.parse(line) as { url: string }).url)
      } finally {
        child.kill("SIGTERM")
      }
      expect(await exited).toBe(0)
    }
    const infoFrom = (url: string, origin: string) => fetch(`${url}/__emulator/info`, { headers: { origin } })
    const post = (url: string, name: string, body: unknown) =>
      fetch(`${url}/__emulator/${name}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body)
      })
    await run([], async (url) => {
      const evil = await infoFrom(url, "https://evil.example")
      expect(evil.status).toBe(403)
      expect(evil.headers.get("access-control-allow-origin")).toBeNull()
      const page = await infoFrom(url, "http://localhost:5173")
      expect(page.status).toBe(200)
      expect(page.headers.get("access-control-allow-origin")).toBe("http://localhost:5173")
      const statuses = []
      for (let i = 0; i < 101; i++) statuses.push((await post(url, "faults", { kind: "malformed" })).status)
      expect(statuses.filter((status) => status === 200)).toHaveLength(100)
      expect(statuses[100]).toBe(409)
      expect((await post(url, "clock", { now: 8.64e15 + 1 })).status).toBe(400)
      expect((await post(url, "clock", { now: 8.64e15 })).status).toBe(400)
      expect((await fetch(`${url}/__emulator/info`)).status).toBe(200)
    })
    await run(["--allow-origin", "https://app.example.com"], async (url) => {
      expect((await infoFrom(url, "https://app.example.com")).status).toBe(200)
      expect((await infoFrom(url, "http://localhost:5173")).status).toBe(403)
    })
  })

  it("rejects bad flags with exit code 2", () => {
    let status: number | null = null
    try {
      execFileSync(process.execPath, [binJs, "--port", "abc"], { stdio: "pipe" })
    } catch (error) {
      status = (error as { status: number | null }).status
    }
    expect(status).toBe(2)
    try {
      execFileSync(process.execPath, [binJs, "--channel", "+123"], { stdio: "pipe" })
    } catch (error) {
      status = (error as { status: number | null }).status
    }
    expect(status).toBe(2)
    status = null
    try {
      execFileSync(process.execPath, [binJs, "--allow-origin", "https://app.example.com/path"], { stdio: "pipe" })
    } catch (error) {
      status = (error as { status: number | null }).status
    }
    expect(status).toBe(2)
  })

  it("--webhook-url posts signed webhooks (secret from the environment); --campaign-delay-ms sets the delay", async () => {
    const secret = "whsec_bin-test"
    const receiver = await startReceiver(secret)
    const child = spawn(
      process.execPath,
      [binJs, "--port", "0", "--webhook-url", receiver.url, "--campaign-delay-ms", "0"],
      {
        cwd: pkg,
        env: { ...process.env, ONEROUTE_EMULATOR_WEBHOOK_SECRET: secret },
        stdio: ["ignore", "pipe", "inherit"]
      }
    )
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve)
        child.once("exit", () => reject(new Error("bin exited before printing")))
      })
      const info = JSON.parse(line) as { url: string; apiKey: string }
      expect(line).not.toContain(secret)
      const inbound = await fetch(`${info.url}/__emulator/inbound`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from: "2348012345678", to: "2348000000001" })
      })
      expect(inbound.status).toBe(200)
      await vi.waitFor(() => expect(receiver.received[0]?.rawVerifies).toBe(true), { timeout: 30_000, interval: 20 })
      const campaign = await fetch(`${info.url}/api/public/whatsapp/campaign`, {
        method: "POST",
        headers: { apiKey: info.apiKey, "content-type": "application/json" },
        body: JSON.stringify({
          from: "2348000000001",
          messages: [{ to: "2348012345678", identifier: "m1", template: { name: "hello_world", parameters: [] } }]
        })
      })
      expect(campaign.status).toBe(201)
      await vi.waitFor(
        async () => {
          const listed = (await (await fetch(`${info.url}/__emulator/campaigns`)).json()) as {
            data: Array<{ messages: Array<{ status: string }> }>
          }
          expect(listed.data[0]?.messages[0]?.status).toBe("sent")
        },
        { timeout: 30_000, interval: 20 }
      )
    } finally {
      child.kill("SIGTERM")
      await receiver.close()
    }
    expect(await exited).toBe(0)
  })

  it("refuses --webhook-url without a secret in the environment, or off loopback, with exit code 2", () => {
    const env = { ...process.env, ONEROUTE_EMULATOR_WEBHOOK_SECRET: "" }
    for (const [args, environment] of [
      [["--webhook-url", "http://127.0.0.1:9/hook"], env],
      [["--webhook-url", "http://example.com/hook"], { ...env, ONEROUTE_EMULATOR_WEBHOOK_SECRET: "s" }],
      [["--campaign-delay-ms", "soon"], env]
    ] as const) {
      let status: number | null = null
      try {
        execFileSync(process.execPath, [binJs, ...args], { stdio: "pipe", env: environment })
      } catch (error) {
        status = (error as { status: number | null }).status
      }
      expect(status, args.join(" ")).toBe(2)
    }
  })
})
