import { spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"
import { createClient, type OneRouteClient } from "@oneroute/node"
import { startEmulator } from "@oneroute/testkit"
import { describe, expect, it } from "vitest"
import { sendRows } from "../src/commands/sendFile.js"
import type { Row } from "../src/input/row.js"
import { createProgress } from "../src/progress.js"
import { outcomes, runCli, writeInput } from "./run.js"

const customer = (index: number) => `23480123456${String(index).padStart(2, "0")}`

describe("send --file on the embedded emulator", () => {
  it("sends 20 CSV rows 3 at a time: 20 JSON lines, a summary, exit 0", async () => {
    const rows = Array.from({ length: 20 }, (_, index) => `${customer(index)},"Hello, customer ${index}"`)
    const path = writeInput("messages.csv", `to,message\n${rows.join("\n")}\n`)
    const run = await runCli(["send", "--file", path, "--concurrency", "3"])
    expect(run.code).toBe(0)
    const lines = outcomes(run)
    expect(lines).toHaveLength(20)
    for (const line of lines) {
      expect(line).toEqual({ line: expect.any(Number), to: expect.any(String), status: "sent", id: expect.any(String) })
    }
    expect(lines.map((line) => line.line).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 2)
    )
    expect(new Set(lines.map((line) => line.id)).size).toBe(20)
    expect(run.stderr).toContain("Done: 20 sent, 0 failed, of 20.")
    // stderr is a pipe here: plain progress lines, at most one per tenth.
    expect(run.stderr).not.toContain("\r")
    const bars = run.stderr.split("\n").filter((line) => line.startsWith("["))
    expect(bars.length).toBeLessThanOrEqual(10)
    expect(bars.at(-1)).toBe("[##########] 20/20 sent 20 failed 0")
  })

  it("names the line of a quote never closed and still sends the rows after it", async () => {
    const rows = Array.from({ length: 10 }, (_, index) =>
      index === 2 ? `${customer(index)},"Hello, customer ${index}` : `${customer(index)},"Hello, customer ${index}"`
    )
    const path = writeInput("messages.csv", `to,message\n${rows.join("\n")}\n`)
    const run = await runCli(["send", "--file", path])
    expect(run.code).toBe(1)
    const byLine = new Map(outcomes(run).map((outcome) => [outcome.line, outcome]))
    expect([...byLine.keys()].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 10 }, (_, index) => index + 2)
    )
    expect(byLine.get(4)).toMatchObject({
      status: "failed",
      error: "InvalidRow",
      message: "line 4: a quoted field that starts on line 4 is never closed"
    })
    expect(byLine.get(5)).toMatchObject({ status: "sent", to: customer(3) })
    expect(run.stderr).toContain("Done: 9 sent, 1 failed, of 10.")
  })

  it("reports a bad row and an invalid number per row, and exits 1", async () => {
    const path = writeInput(
      "messages.csv",
      'to,message,from\n2348012345678,"Two\nlines",\n2348012345679\n123,Bad number,\n2348012345680,Hi,2348000000001\n'
    )
    const run = await runCli(["send", "--file", path])
    expect(run.code).toBe(1)
    const byLine = new Map(outcomes(run).map((outcome) => [outcome.line, outcome]))
    expect(byLine.size).toBe(4)
    expect(byLine.get(2)).toMatchObject({ status: "sent", to: "2348012345678" })
    expect(byLine.get(4)).toEqual({
      line: 4,
      to: null,
      status: "failed",
      error: "InvalidRow",
      sendOutcome: "not-sent",
      message: "line 4: expected 3 fields (to,message,from), got 1"
    })
    expect(byLine.get(5)).toMatchObject({
      line: 5,
      to: "123",
      status: "failed",
      error: "InvalidInputError",
      sendOutcome: "not-sent",
      message: expect.stringContaining("to: Expected a WhatsApp number")
    })
    expect(byLine.get(6)).toMatchObject({ status: "sent" })
    expect(run.stderr).toContain("Done: 2 sent, 2 failed, of 4.")
    expect(run.stderr).toMatch(
      /Failed by error: (InvalidRow 1, InvalidInputError 1|InvalidInputError 1, InvalidRow 1)\./
    )
    expect(run.stderr).toContain("2 failures certainly not sent")
    expect(run.stderr).not.toContain("unknown outcome")
  })

  it("reads JSONL, reports the unparsable line and uses --from for rows without one", async () => {
    const path = writeInput(
      "messages.jsonl",
      '{"to":"2348012345678","message":"hi"}\n\n{"to": "2348012345679", "message": \n{"to":"2348012345680","message":"hi","from":"2348000000009"}\n'
    )
    const run = await runCli(["send", "--file", path, "--from", "2348000000001"])
    expect(run.code).toBe(1)
    const byLine = new Map(outcomes(run).map((outcome) => [outcome.line, outcome]))
    expect(byLine.get(1)).toMatchObject({ status: "sent" })
    expect(byLine.get(3)).toMatchObject({ status: "failed", error: "InvalidRow", message: /^line 3: not valid JSON/ })
    // A business number without a channel: the window is not opened, OneRoute refuses.
    expect(byLine.get(4)).toMatchObject({ status: "failed", error: "RejectedError", sendOutcome: "not-sent" })
  })

  it("sends the README's example file", async () => {
    const run = await runCli(["send", "--file", new URL("../examples/messages.csv", import.meta.url).pathname])
    expect(run.code).toBe(0)
    expect(outcomes(run).map((outcome) => outcome.status)).toEqual(Array(5).fill("sent"))
  })
})

it("with ONEROUTE_API_KEY it sends to that base URL and flags unknown outcomes", async () => {
  const emulator = await startEmulator()
  try {
    for (const index of [1, 2, 3]) emulator.receiveInbound({ from: customer(index), to: "2348000000001" })
    emulator.inject({ kind: "status", status: 502, body: "<html>Bad gateway</html>", contentType: "text/html" })
    const path = writeInput("messages.csv", `to,message\n${[1, 2, 3].map((i) => `${customer(i)},m${i}`).join("\n")}\n`)
    const run = await runCli(["send", "--file", path, "--concurrency", "1"], {
      ONEROUTE_API_KEY: emulator.apiKey,
      ONEROUTE_BASE_URL: emulator.url,
      ONEROUTE_DEMO_FROM: "2348000000001"
    })
    expect(run.code).toBe(1)
    expect(emulator.requests()).toBe(3)
    expect(emulator.sent()).toHaveLength(2)
    expect(outcomes(run)[0]).toMatchObject({ line: 2, status: "failed", error: "ServerError", sendOutcome: "unknown" })
    expect(run.stderr).toContain(`through ${emulator.url}`)
    expect(run.stderr).toContain("1 failure with an unknown outcome (lines 2): these messages may have been sent.")
    expect(run.stderr).toContain("Check those conversations before resending them")
  } finally {
    await emulator.close()
  }
})

describe("sendRows", () => {
  const inFlight = async (concurrency: number) => {
    const emulator = await startEmulator()
    const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url })
    try {
      const rows: Array<Row> = Array.from({ length: 20 }, (_, index) => {
        emulator.receiveInbound({ from: customer(index), to: "2348000000001" })
        return { kind: "message", line: index + 2, to: customer(index), message: `m${index}`, from: undefined }
      })
      // Slow answers, so that sends overlap whenever the pool lets them.
      emulator.inject({ kind: "latency", ms: 50, times: 20 })
      let current = 0
      let max = 0
      const counting: Pick<OneRouteClient, "sendSessionMessage"> = {
        sendSessionMessage: async (input) => {
          max = Math.max(max, ++current)
          try {
            return await client.sendSessionMessage(input)
          } finally {
            current--
          }
        }
      }
      const results = await sendRows(rows, {
        client: counting,
        concurrency,
        defaultFrom: "2348000000001",
        progress: createProgress(rows.length, { write: () => true }),
        report: () => {}
      })
      expect(results.filter((result) => result.status === "sent")).toHaveLength(20)
      expect(emulator.sent()).toHaveLength(20)
      return max
    } finally {
      await client.close()
      await emulator.close()
    }
  }

  it.each([1, 3, 8])("never has more than %i sends in flight, and reaches that many", async (concurrency) => {
    expect(await inFlight(concurrency)).toBe(concurrency)
  })
})

it("the first Ctrl-C stops starting rows, finishes those in flight and reports every outcome", async () => {
  const emulator = await startEmulator()
  try {
    const indexes = Array.from({ length: 20 }, (_, index) => index)
    for (const index of indexes) emulator.receiveInbound({ from: customer(index), to: "2348000000001" })
    // 10 s of sends at concurrency 2: far longer than the Ctrl-C takes to arrive, even on a busy machine.
    emulator.inject({ kind: "latency", ms: 1_000, times: 20 })
    const path = writeInput("slow.csv", `to,message\n${indexes.map((i) => `${customer(i)},m${i}`).join("\n")}\n`)
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL("../dist/main.js", import.meta.url)), "send", "--file", path, "--concurrency", "2"],
      {
        env: {
          PATH: process.env.PATH,
          ONEROUTE_API_KEY: emulator.apiKey,
          ONEROUTE_BASE_URL: emulator.url,
          ONEROUTE_DEMO_FROM: "2348000000001"
        }
      }
    )
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => {
      stdout += chunk
    })
    child.stderr.on("data", (chunk) => {
      stderr += chunk
    })
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()))
    child.kill("SIGINT")
    const [code] = (await once(child, "exit")) as [number]
    const reported = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { status: string })
    expect(code).toBe(130)
    expect(reported.length).toBeGreaterThan(0)
    expect(reported.length).toBeLessThan(20)
    // Every message the emulator accepted was reported as sent: nothing in flight was lost.
    expect(reported.filter((outcome) => outcome.status === "sent")).toHaveLength(emulator.sent().length)
    expect(stderr).toContain(`Not started: ${20 - reported.length} rows`)
  } finally {
    await emulator.close()
  }
})
