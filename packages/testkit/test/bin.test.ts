import { execFileSync, spawn } from "node:child_process"
import { readdirSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it } from "vitest"

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
  })
})
