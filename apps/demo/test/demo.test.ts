import { expect, it } from "vitest"
import { runCli } from "./run.js"

it("sends one message through the embedded emulator and prints it", async () => {
  const { code, stdout } = await runCli(["Hi from the test"])
  expect(code).toBe(0)
  expect(stdout).toContain("embedded emulator at http://127.0.0.1:")
  expect(stdout).toMatch(/Sent: .*content: 'Hi from the test'/s)
})

it("with ONEROUTE_API_KEY it targets that base URL and reports typed errors", async () => {
  const failure = await runCli([], {
    ONEROUTE_API_KEY: "k",
    ONEROUTE_BASE_URL: "http://127.0.0.1:9",
    ONEROUTE_DEMO_FROM: "2348000000001",
    ONEROUTE_DEMO_TO: "2348012345678",
    ONEROUTE_TIMEOUT: "2000"
  })
  expect(failure.code).toBe(1)
  expect(failure.stderr).toMatch(/^NetworkError \(sendOutcome: not-sent\)/)
})
