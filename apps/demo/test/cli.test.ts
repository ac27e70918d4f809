import { describe, expect, it } from "vitest"
import { MAIN_HELP, parseCommand, SEND_HELP, SEND_TEMPLATE_HELP } from "../src/cli.js"
import { runCli } from "./run.js"

describe("parseCommand", () => {
  it("keeps the no-argument demo, with the first argument as the message", () => {
    expect(parseCommand([])).toEqual({ kind: "demo", message: undefined })
    expect(parseCommand(["Hi there"])).toEqual({ kind: "demo", message: "Hi there" })
  })

  it("parses one send and a file send with its defaults", () => {
    expect(parseCommand(["send", "--to", "234801", "--message", "hi"])).toEqual({
      kind: "send",
      from: undefined,
      to: "234801",
      message: "hi"
    })
    expect(parseCommand(["send", "--file", "a.csv", "--from", "234800"])).toEqual({
      kind: "send-file",
      path: "a.csv",
      from: "234800",
      concurrency: 4
    })
    expect(parseCommand(["send", "--file", "a.jsonl", "--concurrency", "32"])).toMatchObject({ concurrency: 32 })
  })

  it("parses send-template with repeated --to, --param and --button", () => {
    expect(
      parseCommand(["send-template", "--to", "1", "--to", "2", "--template", "t", "--param", "a", "--param", "b"])
    ).toEqual({
      kind: "send-template",
      from: undefined,
      to: ["1", "2"],
      template: "t",
      parameters: ["a", "b"],
      buttons: []
    })
    expect(
      parseCommand(["send-template", "--to", "1", "--template", "otp_code", "--button", "9", "--from", "3"])
    ).toEqual({ kind: "send-template", from: "3", to: ["1"], template: "otp_code", parameters: [], buttons: ["9"] })
  })

  it.each([
    [["send-template", "--to", "1"], "oneroute-demo send-template", /needs --to and --template/],
    [["send-template", "--template", "t"], "oneroute-demo send-template", /needs --to and --template/],
    [
      ["send-template", "--to", "1", "--template", "t", "--message", "m"],
      "oneroute-demo send-template",
      /Unknown option '--message'/
    ],
    [["--bogus"], "oneroute-demo", /Unknown option '--bogus'/],
    [["one", "two"], "oneroute-demo", /at most one argument/],
    [["send", "--to", "1", "--message", "m", "--bogus"], "oneroute-demo send", /Unknown option '--bogus'/],
    [["send", "--to"], "oneroute-demo send", /argument missing/],
    [["send", "stray"], "oneroute-demo send", /Unexpected argument 'stray'/],
    [["send", "--to", "1"], "oneroute-demo send", /needs --to and --message/],
    [["send", "--to", "1", "--message", "m", "--concurrency", "2"], "oneroute-demo send", /only applies with --file/],
    [["send", "--file", "a.csv", "--to", "1"], "oneroute-demo send", /drop --to and --message/],
    [["send", "--file", "a.csv", "--concurrency", "0"], "oneroute-demo send", /1 to 32 \(got 0\)/],
    [["send", "--file", "a.csv", "--concurrency", "33"], "oneroute-demo send", /1 to 32/],
    [["send", "--file", "a.csv", "--concurrency", "2.5"], "oneroute-demo send", /1 to 32/],
    [["send", "--file", "a.csv", "--concurrency", ""], "oneroute-demo send", /1 to 32/]
  ])("%j is a usage error", (args, command, message) => {
    expect(parseCommand(args)).toEqual({ kind: "usage", command, message: expect.stringMatching(message) })
  })

  it("has help for each command", () => {
    expect(parseCommand(["--help"])).toEqual({ kind: "help", text: MAIN_HELP })
    expect(parseCommand(["send", "-h"])).toEqual({ kind: "help", text: SEND_HELP })
    expect(parseCommand(["send-template", "--help"])).toEqual({ kind: "help", text: SEND_TEMPLATE_HELP })
  })
})

describe("the built CLI", () => {
  it("prints help on stdout with exit code 0", async () => {
    const main = await runCli(["--help"])
    expect(main).toMatchObject({ code: 0, stdout: MAIN_HELP })
    const send = await runCli(["send", "--help"])
    expect(send).toMatchObject({ code: 0, stdout: SEND_HELP })
  })

  it("rejects unknown flags with a clear message and exit code 2, before sending anything", async () => {
    const run = await runCli(["send", "--file", "x.csv", "--concurrncy", "3"])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe("")
    expect(run.stderr).toBe(
      "oneroute-demo send: Unknown option '--concurrncy'\nRun `oneroute-demo send --help` for usage.\n"
    )
  })

  it("reports an unusable file with exit code 2", async () => {
    expect(await runCli(["send", "--file", "missing.csv"])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^oneroute-demo: cannot read missing.csv: ENOENT/)
    })
    expect(await runCli(["send", "--file", "messages.txt"])).toMatchObject({
      code: 2,
      stderr: "oneroute-demo: messages.txt: expected a .csv or .jsonl file\n"
    })
  })

  it("sends one message with send --to --message", async () => {
    const run = await runCli(["send", "--to", "+234 801 234 5670", "--message", "One send"])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Sent: \{\n {2}id: '[\w-]+',\n {2}content: 'One send',\n {2}conversationId: '[\w-]+',/)
    expect(run.stdout).toMatch(/createdAt: '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z'/)
  })

  it("prints a typed error and exits 1 when a send fails", async () => {
    const run = await runCli(["send", "--to", "123", "--message", "x"])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^InvalidInputError \(sendOutcome: not-sent\): Invalid input, nothing was sent/)
  })

  it("sends a template to every --to, without an open window, one line per recipient", async () => {
    const run = await runCli([
      "send-template",
      "--to",
      "+234 801 234 5678",
      "--to",
      "2348012345679",
      "--template",
      "order_update",
      "--param",
      "Ada",
      "--param",
      "#1042"
    ])
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /^sent {5}2348012345678 {2}id [A-Za-z0-9]{28}\nsent {5}2348012345679 {2}id [A-Za-z0-9]{28}\nMessage sent to customer: 2 sent, 0 failed, 0 unknown\.$/m
    )
  })

  it("send-template exits 1 for a failed recipient, printing what OneRoute said", async () => {
    const wrongCount = await runCli([
      "send-template",
      "--to",
      "2348012345678",
      "--template",
      "order_update",
      "--param",
      "Ada"
    ])
    expect(wrongCount.code).toBe(1)
    expect(wrongCount.stdout).toContain('failed   2348012345678  Template "order_update" expects 2 parameters, got 1')
    expect(wrongCount.stdout).toContain("0 sent, 1 failed, 0 unknown.")
    const invalid = await runCli(["send-template", "--to", "2348012345678", "--template", "Order Update"])
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toMatch(
      /^InvalidInputError \(sendOutcome: not-sent\): Invalid input, nothing was sent\. Fix: messages\.0\.template\.name: /
    )
  })

  it("with ONEROUTE_API_KEY but no ONEROUTE_DEMO_FROM, send asks for --from", async () => {
    const run = await runCli(["send", "--to", "2348012345678", "--message", "x"], { ONEROUTE_API_KEY: "k" })
    expect(run).toMatchObject({ code: 2, stderr: "oneroute-demo: send needs --from (or ONEROUTE_DEMO_FROM)\n" })
  })
})
