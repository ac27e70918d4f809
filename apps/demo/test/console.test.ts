import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { childProcessTimeout } from "../../../vitest.shared.js"
import { type ConsoleServer, control, startConsole } from "./consoleServer.js"

/**
 * The support inbox in a real headless Chromium, served by the built CLI on the embedded emulator:
 * the emulator posts signed webhooks to the console, the page sends through the console's relay.
 */
const BUSINESS = "2348000000001"
const VIEWPORT = { width: 1366, height: 768 }
const SCREENSHOTS = new URL("../test-results/screenshots/", import.meta.url)
const HOUR = 3_600_000
const poll = { timeout: childProcessTimeout }

let server: ConsoleServer
let browser: Browser
let page: Page
const requests: Array<{ url: string; headers: Record<string, string> }> = []

beforeAll(async () => {
  server = await startConsole()
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
  server?.process.kill("SIGTERM")
})

beforeEach(async () => {
  await page?.close()
  page = await browser.newPage({ viewport: VIEWPORT })
  page.on("request", (request) => requests.push({ url: request.url(), headers: request.headers() }))
  await page.goto(server.url)
  await expect.poll(() => page.locator("#connection").textContent(), poll).toMatch(/^Live/)
})

/** A customer writes to the business number: the emulator records it and posts a signed webhook. */
const customerWrites = (customer: string, text: string, extra: Record<string, unknown> = {}) =>
  control(server.emulator, "inbound", { from: customer, to: BUSINESS, text, ...extra })

const conversation = (customer: string) => page.locator(`#conversations button[data-customer="${customer}"]`)
const windowText = () => page.locator("#window").textContent()
const sendResult = () => page.locator("#send-result").textContent()
const sentTexts = async (text: string) =>
  (await control<Array<{ message: string }>>(server.emulator, "sent")).filter((m) => m.message === text)

/** Opens the customer's conversation in the page. */
const open = async (customer: string) => {
  await expect.poll(() => conversation(customer).count(), poll).toBe(1)
  await conversation(customer).click()
  await expect.poll(() => page.locator("#customer").textContent()).toContain(customer)
}

/**
 * Screenshots the page at 1366×768 and checks its layout: no horizontal overflow, the key elements
 * inside the viewport, the main regions not overlapping.
 */
const checkLayout = async (name: string) => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const png = await page.screenshot({ fullPage: false })
  writeFileSync(new URL(`${name}.png`, SCREENSHOTS), png)
  // The PNG's own header: 1366 × 768.
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([VIEWPORT.width, VIEWPORT.height])
  type Box = { x: number; y: number; right: number; bottom: number }
  const layout = await page.evaluate(() => {
    const box = (selector: string): Box | undefined => {
      const rect = document.querySelector(selector)?.getBoundingClientRect()
      return rect === undefined ? undefined : { x: rect.x, y: rect.y, right: rect.right, bottom: rect.bottom }
    }
    return {
      scrollWidth: document.scrollingElement?.scrollWidth ?? Number.POSITIVE_INFINITY,
      innerWidth,
      innerHeight,
      regions: ["header", "#conversations-pane", "#thread-header", "#messages", "#send-box"].map(
        (s) => [s, box(s)] as [string, Box | undefined]
      ),
      keys: ["h1", "#window", "#send", "#conversations button", "#inbound"].map(
        (s) => [s, box(s)] as [string, Box | undefined]
      )
    }
  })
  expect(layout.scrollWidth, "no horizontal overflow").toBeLessThanOrEqual(layout.innerWidth)
  for (const [selector, rect] of layout.keys) {
    expect(rect, `${selector} is shown`).toBeDefined()
    expect(rect!.x, `${selector} left`).toBeGreaterThanOrEqual(0)
    expect(rect!.y, `${selector} top`).toBeGreaterThanOrEqual(0)
    expect(rect!.right, `${selector} right`).toBeLessThanOrEqual(layout.innerWidth)
    expect(rect!.bottom, `${selector} bottom`).toBeLessThanOrEqual(layout.innerHeight)
  }
  const regions = layout.regions.map(([selector, rect]) => {
    expect(rect, `${selector} is shown`).toBeDefined()
    return [selector, rect!] as const
  })
  for (const [i, [a, first]] of regions.entries()) {
    for (const [b, second] of regions.slice(i + 1)) {
      const overlapX = Math.min(first.right, second.right) - Math.max(first.x, second.x)
      const overlapY = Math.min(first.bottom, second.bottom) - Math.max(first.y, second.y)
      // Touching edges (and sub-pixel rounding) are not an overlap.
      expect(overlapX <= 1 || overlapY <= 1, `${a} and ${b} do not overlap`).toBe(true)
    }
  }
}

/** What the README's "The web console" section says of the page's buttons: their count and bold names. */
const readmeButtons = () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")
  const start = readme.indexOf("The page has", readme.indexOf("## The web console"))
  // The sentence, then its list: the bullets up to the first line that is neither a bullet nor its continuation.
  const [sentence = "", ...rest] = readme.slice(start).split("\n")
  const list = rest.slice(
    1,
    rest.findIndex((line, i) => i > 0 && !/^(- | {2})/.test(line))
  )
  const count = /The page has (\w+) buttons?/.exec(sentence)?.[1]
  const names = list.flatMap((line) => /^- \*\*(.+?)\*\*/.exec(line)?.[1] ?? [])
  return { count, names }
}

describe("the support inbox", () => {
  it("shows a conversation as soon as the emulator posts its webhook, with its window open and counting down", async () => {
    await customerWrites("2348012340001", "Hi, where is my order?")
    await open("2348012340001")
    expect(await page.locator("#messages li").first().textContent()).toContain("Hi, where is my order?")
    await expect.poll(windowText).toMatch(/^Window open — 23 h \d+ min left$/)
    expect(await page.locator("#send").textContent()).toBe("Send message")
    // The countdown runs on the emulator's clock: two hours later it says so, without a reload.
    await control(server.emulator, "clock", { advanceMs: 2 * HOUR })
    await expect.poll(windowText, poll).toMatch(/^Window open — 21 h \d+ min left$/)
    await checkLayout("inbox-window-open")
  })

  it("has exactly the buttons the README names, besides one per conversation", async () => {
    const { count, names } = readmeButtons()
    const words = ["zero", "one", "two", "three", "four", "five"]
    expect(count, "the README says how many buttons the page has").toBeDefined()
    expect(names.length, `the README says "${count} buttons" and names ${names.length}`).toBe(words.indexOf(count!))
    for (const name of names) {
      await expect.poll(() => page.getByRole("button", { name }).count(), poll).toBe(1)
    }
    const fixed = await page.locator("button:not(#conversations button)").count()
    expect(fixed).toBe(names.length)
  })

  it("sends a reply through the relay; the thread shows it; the key never reaches the page", async () => {
    await customerWrites("2348012340002", "Can I change my address?")
    await open("2348012340002")
    await page.fill("#message", "Yes: reply with the new one")
    await page.click("#send")
    await expect.poll(sendResult, poll).toBe("Sent ✓")
    await expect
      .poll(() => page.locator("#messages li.outbound").last().textContent(), poll)
      .toContain("Yes: reply with")
    expect(await sentTexts("Yes: reply with the new one")).toHaveLength(1)
    const relayCalls = requests.filter((r) => r.url.endsWith("/oneroute/api/public/conversation/text"))
    expect(relayCalls.length).toBeGreaterThan(0)
    for (const call of relayCalls) expect(Object.keys(call.headers)).not.toContain("apikey")
    expect(await page.content()).not.toMatch(/test_[0-9a-f]{24}/)
  })

  it("a double-click sends the WhatsApp message once, and the button is disabled while it is in flight", async () => {
    await customerWrites("2348012340003", "Hello?")
    await open("2348012340003")
    // The emulator answers slowly, so the second click lands while the first send is in flight.
    await control(server.emulator, "faults", { kind: "latency", ms: 1_500 })
    await page.fill("#message", "Only once, please")
    await page.dblclick("#send")
    expect(await page.locator("#send").isDisabled()).toBe(true)
    expect(await page.locator("#send").textContent()).toBe("Sending…")
    await expect.poll(sendResult, poll).toBe("Sent ✓")
    expect(await page.locator("#send").isEnabled()).toBe(true)
    expect(await sentTexts("Only once, please")).toHaveLength(1)
  })

  it("says a message may not have been delivered when the outcome is unknown", async () => {
    await customerWrites("2348012340004", "Are you there?")
    await open("2348012340004")
    await control(server.emulator, "faults", { kind: "status", status: 500 })
    await page.fill("#message", "We are here")
    await page.click("#send")
    await expect.poll(sendResult, poll).toBe("Message may not have been delivered — check before resending")
    expect(await page.locator("#send-result").getAttribute("class")).toBe("failed")
    expect(await page.textContent("body")).not.toMatch(/ServerError|sendOutcome/)
  })

  it("a forged webhook changes nothing; the next genuine one still arrives", async () => {
    const before = await page.locator("#conversations button").count()
    await customerWrites("2348012340005", "forged", { webhookFault: { kind: "bad-signature" } })
    const forged = await fetch(`${server.url}/webhooks/oneroute`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-oneroute-signature": "ab".repeat(64) },
      body: JSON.stringify({
        event: "newMessage",
        message: { sender: { authUser: false }, content: "forged too", conversation_id: "c-forged" },
        conversation: { id: "c-forged", lastMessageAt: new Date().toISOString() },
        emulator: { customer: "2348012340006", business: BUSINESS }
      })
    })
    expect(forged.status).toBe(401)
    const deliveries = await control<Array<{ status?: number; fault?: string }>>(server.emulator, "webhook-flush", {})
    const refused = deliveries.filter((d) => d.fault === "bad-signature")
    expect(refused.length).toBeGreaterThan(0)
    for (const delivery of refused) expect(delivery.status).toBe(401)
    await customerWrites("2348012340007", "genuine")
    await expect.poll(() => conversation("2348012340007").count(), poll).toBe(1)
    expect(await conversation("2348012340005").count()).toBe(0)
    expect(await conversation("2348012340006").count()).toBe(0)
    expect(await page.locator("#conversations button").count()).toBe(before + 1)
    expect(await page.textContent("#conversations")).not.toContain("forged")
  })

  it("once the window has closed, the box offers the registered templates with their fields, and sends one", async () => {
    await customerWrites("2348012340008", "Thanks!")
    await open("2348012340008")
    await expect.poll(windowText).toMatch(/^Window open/)
    await control(server.emulator, "clock", { advanceMs: 25 * HOUR })
    await expect.poll(windowText, poll).toBe("Window closed — customer must write first / send a template")
    expect(await page.locator("#send").textContent()).toBe("Send template")
    expect(await page.locator("#message").isVisible()).toBe(false)
    const offered = await page.locator("#template option").allTextContents()
    const registered = await control<Array<{ channel: string; name: string }>>(server.emulator, "templates")
    expect(offered).toEqual(registered.filter((t) => t.channel === BUSINESS).map((t) => t.name))
    await page.selectOption("#template", "order_update")
    const fields = page.locator("#template-parameters input")
    await expect.poll(() => fields.count()).toBe(2)
    await fields.nth(0).fill("Ada")
    await fields.nth(1).fill("#1042")
    await checkLayout("inbox-window-closed")
    await page.click("#send")
    await expect.poll(sendResult, poll).toBe("Template sent ✓")
    const templates = await control<Array<{ to: string; template: { name: string; parameters: Array<string> } }>>(
      server.emulator,
      "sent-templates"
    )
    const sent = templates.filter((t) => t.to === "2348012340008")
    expect(sent).toHaveLength(1)
    expect(sent[0]!.template).toMatchObject({ name: "order_update", parameters: ["Ada", "#1042"] })
    await expect
      .poll(() => page.locator("#messages li.outbound").last().textContent(), poll)
      .toContain("Template order_update: Ada, #1042")
    // No session message went to the customer after the window closed.
    expect(
      (await control<Array<{ to: string }>>(server.emulator, "sent")).filter((m) => m.to === "2348012340008")
    ).toEqual([])
  })
})
