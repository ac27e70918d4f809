/**
 * A missing `--allow-net` is not an ambiguous network failure: Deno refuses before any byte
 * leaves, so the send is NetworkError "not-sent", and its message names the missing permission.
 */
import { createClient, isOneRouteError, NetworkError } from "../src/index.ts"
import { test } from "./support/test.ts"

const assert = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(message)
}

test({
  name: "without net permission a send is NetworkError not-sent, naming --allow-net",
  permissions: { net: false, env: false, read: false },
  fn: async () => {
    const client = createClient({
      apiKey: "permission-test-key",
      baseUrl: "http://127.0.0.1:65000",
      timeout: 30_000,
      retry: false
    })
    try {
      const error = await client.sendSessionMessage({ from: "2348000000001", to: "2348012345678", message: "hi" }).then(
        () => undefined,
        (error: unknown) => error
      )
      assert(error instanceof NetworkError, `expected NetworkError, got ${String(error)}`)
      const network = error as NetworkError
      assert(isOneRouteError(network), "isOneRouteError")
      assert(
        network.sendOutcome === "not-sent",
        `sendOutcome: expected not-sent, got ${network.sendOutcome} (${network.reason})`
      )
      assert(/--allow-net/.test(network.message), `the message names --allow-net: ${network.message}`)
      assert(/permission/.test(network.message), `the message says a permission is missing: ${network.message}`)
      assert(/was not sent/.test(network.message), `the message says nothing was sent: ${network.message}`)
      assert(!network.message.includes("permission-test-key"), "no key in the message")
    } finally {
      await client.close()
    }
  }
})
