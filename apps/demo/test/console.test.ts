import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { childProcessTimeout } from "../../../vitest.shared.js"

/** The web console in a real headless Chromium, served by the built CLI on the embedded emulator. */
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
const requests: Array<{ url: string; headers: Record<string, string> }> = []

beforeAll(async () => {
  server = spawn(process.execPath, [main, "serve", "--port", "0"], {
    env: { PATH: process.env.PATH },
    stdio: ["ignore", "pipe", "inherit"]
  })
  const [line] = (await once(server.stdout!, "data")) as [Buffer]
  url = /http:\/\/127\.0\.0\.1:\d+/.exec(line.toString())?.[0] ?? ""
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run"
    ]
  })
})

afterAll(async () => {
  await browser?.close()
  server?.kill("SIGTERM")
})

beforeEach(async () => {
  page = await browser.newPage()
  page.on("request", (request) => requests.push({ url: request.url(), headers: request.headers() }))
  await page.goto(url)
})

const result = () => page.locator("#result")

/** What the README's "The web console" section says of the page's buttons: their count and bold names. */
const readmeButtons = () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
  const start = readme.indexOf("## The web console")
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1))
  const count = /The page has (\w+) buttons?:/.exec(section)?.[1]
  const names = [...section.matchAll(/^- \*\*(.+?)\*\*/gm)].map((match) => match[1]!)
  return { count, names }
}

describe("demo web console", () => {
  it("has exactly the buttons the README names", async () => {
    const { count, names } = readmeButtons()
    const words = ["zero", "one", "two", "three", "four", "five"]
    expect(count, "the README says how many buttons the page has").toBeDefined()
    expect(names.length, `the README says "${count} buttons" and names ${names.length}`).toBe(words.indexOf(count!))
    const buttons = (await page.getByRole("button").allTextContents()).map((text) => text.trim())
    expect(buttons).toHaveLength(names.length)
    for (const name of names) {
      expect(
        buttons.filter((text) => text.startsWith(name)),
        `a button labelled "${name}"`
      ).toHaveLength(1)
      await expect.poll(() => page.getByRole("button", { name }).isEnabled()).toBe(true)
    }
  })

  it("opens the window, sends through the relay and shows the typed result; the key never reaches the page", async () => {
    await page.click("#inbound")
    await expect.poll(() => result().textContent()).toContain("window is open")
    await page.fill("#message", "Hello from Chromium")
    await page.click("#submit")
    await expect
      .poll(() => result().textContent(), { timeout: childProcessTimeout })
      .toMatch(/^Sent ✓\nid: [0-9a-f-]{36}/)
    const relayCalls = requests.filter((r) => r.url.endsWith("/oneroute/api/public/conversation/text"))
    expect(relayCalls.length).toBeGreaterThan(0)
    for (const call of relayCalls) expect(Object.keys(call.headers)).not.toContain("apikey")
    const html = await page.content()
    expect(html).not.toMatch(/test_[0-9a-f]{24}/)
  })

  it("shows an InvalidInputError with every issue, and a RejectedError for a closed window", async () => {
    await page.fill("#to", "12")
    await page.fill("#message", " ")
    await page.click("#submit")
    await expect.poll(() => result().textContent()).toMatch(/^InvalidInputError \(sendOutcome: not-sent\)/)
    expect(await result().textContent()).toMatch(/to: .*\n\s+message: /s)
    await page.fill("#to", "+234 809 999 9999")
    await page.fill("#message", "nobody wrote")
    await page.click("#submit")
    await expect.poll(() => result().textContent()).toMatch(/^RejectedError \(sendOutcome: not-sent\)/)
  })

  it("sends a template through the relay without an open window, and shows a failed recipient", async () => {
    await page.fill("#to", "+234 809 555 0101")
    await page.click("#template-submit")
    await expect
      .poll(() => result().textContent(), { timeout: childProcessTimeout })
      .toMatch(/^Template sent ✓\nsent 2348095550101\nid: [A-Za-z0-9]{28}$/)
    expect(requests.some((r) => r.url.endsWith("/oneroute/api/public/conversation/template"))).toBe(true)
    await page.fill("#template", "no_such_template")
    await page.click("#template-submit")
    await expect
      .poll(() => result().textContent(), { timeout: childProcessTimeout })
      .toMatch(/^Template not sent ✗\nfailed 2348095550101\nTemplate "no_such_template" is not registered/)
    await page.fill("#template", "Not A Name")
    await page.click("#template-submit")
    await expect
      .poll(() => result().textContent())
      .toMatch(/^InvalidInputError \(sendOutcome: not-sent\)\n.*\n\s+messages\.0\.template\.name: /s)
  })

  it("its relay serves only the page's session: a request without the page's cookie is refused", async () => {
    const response = await fetch(`${url}/oneroute/api/public/conversation/text`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: "2348000000001", to: "2348012345678", message: "not from the page" })
    })
    expect(response.status).toBe(401)
    const body = (await response.json()) as { error: { _tag: string; refusedBy: string } }
    expect(body.error).toMatchObject({ _tag: "RejectedError", refusedBy: "relay" })
  })
})
