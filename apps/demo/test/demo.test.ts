import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { expect, it } from "vitest"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))
const run = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv) =>
  promisify(execFile)(process.execPath, [main, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 })

it("sends one message through the embedded emulator and prints it", async () => {
  const { stdout } = await run(["Hi from the test"], {})
  expect(stdout).toContain("embedded emulator at http://127.0.0.1:")
  expect(stdout).toMatch(/Sent: .*content: 'Hi from the test'/s)
})

it("with ONEROUTE_API_KEY it targets that base URL and reports typed errors", async () => {
  const failure = await run([], {
    ONEROUTE_API_KEY: "k",
    ONEROUTE_BASE_URL: "http://127.0.0.1:9",
    ONEROUTE_DEMO_FROM: "2348000000001",
    ONEROUTE_DEMO_TO: "2348012345678",
    ONEROUTE_TIMEOUT: "2000"
  }).catch((error: { stderr: string; code: number }) => error)
  expect("code" in failure && failure.code).toBe(1)
  expect("stderr" in failure && failure.stderr).toMatch(/^NetworkError \(sendOutcome: not-sent\)/)
})
