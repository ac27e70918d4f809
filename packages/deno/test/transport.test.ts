/**
 * Deno: a `fetch` of your own, and a per-call `timeout`, against the emulator on `Deno.serve`.
 */
import { connectEmulator } from "@oneroute/testkit/conformance"
import { createClient, InvalidOptionsError, RequestTimeoutError } from "../src/index.ts"
import { startEmulatorHost } from "./support/emulatorHost.ts"
import { test } from "./support/test.ts"

const CUSTOMER = "2348012345678"
const assert = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(message)
}

test("createClient sends with the given fetch, passing Deno's init on; per-call timeout in ms", async () => {
  const host = await startEmulatorHost()
  try {
    const control = await connectEmulator(host.url)
    const from = control.channels[0]?.number ?? ""
    await control.receiveInbound({ from: CUSTOMER, to: from })
    const seen: Array<string> = []
    const fetch: typeof globalThis.fetch = (input, init) => {
      seen.push(`${init?.method ?? "GET"} ${new URL(input instanceof Request ? input.url : String(input)).pathname}`)
      return globalThis.fetch(input, init)
    }
    const client = createClient({ apiKey: control.apiKey, baseUrl: control.url, timeout: 30_000, fetch })
    try {
      const message = await client.sendSessionMessage({ from, to: CUSTOMER, message: "via my fetch" })
      assert(message.content === "via my fetch", `content: ${message.content}`)
      assert(seen.join() === "POST /api/public/conversation/text", `fetch calls: ${seen.join()}`)

      await control.inject({ kind: "hang" })
      const error = await client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }, { timeout: 200 }).then(
        () => undefined,
        (error: unknown) => error
      )
      assert(error instanceof RequestTimeoutError, `expected RequestTimeoutError, got ${String(error)}`)
      assert((error as RequestTimeoutError).timeoutMs === 200, "timeoutMs is the per-call one")
    } finally {
      await client.close()
    }
  } finally {
    await host.close()
  }
})

test("a fetch that is not a function is an InvalidOptionsError", () => {
  let thrown: unknown
  try {
    createClient({ apiKey: "k", baseUrl: "http://127.0.0.1:65000", timeout: 1000, fetch: "no" as never })
  } catch (error) {
    thrown = error
  }
  assert(thrown instanceof InvalidOptionsError && thrown.option === "fetch", `got ${String(thrown)}`)
})
