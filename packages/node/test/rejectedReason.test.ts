/**
 * `RejectedError.reason` end to end: derived from the emulator's answers (direct and through a
 * real relay), and set by the relay for its own refusals; it survives the relay's encoding.
 */
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { createClient, layer, OneRoute, RejectedError } from "../src/effect.js"
import { BUSINESS, send, sharedEmulator, startRelay, stopRelay } from "./support/relay.js"

const emulator = sharedEmulator()
const DAY = 24 * 60 * 60 * 1000

const rejection = async (promise: Promise<unknown>): Promise<RejectedError> => {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error
  )
  expect(error).toBeInstanceOf(RejectedError)
  return error as RejectedError
}

describe("RejectedError.reason, direct", () => {
  it("a closed window, an unconnected from: told apart by reason", async () => {
    const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url })
    try {
      const unconnected = await rejection(client.sendSessionMessage({ ...send, from: "2348000000999" }))
      expect(unconnected.reason).toBe("channel-not-connected")
      await emulator.clock.advance(DAY + 1)
      const closed = await rejection(client.sendSessionMessage(send))
      expect(closed.reason).toBe("window-closed")
      expect(closed.refusedBy).toBeUndefined()
      expect(JSON.parse(JSON.stringify(closed))).toMatchObject({ reason: "window-closed", status: closed.status })
    } finally {
      await client.close()
    }
  })
})

describe("RejectedError.reason, through a relay", () => {
  let relay: Awaited<ReturnType<typeof startRelay>>
  let client: ManagedRuntime.ManagedRuntime<OneRoute, never>
  const failure = () => client.runPromise(Effect.flip(OneRoute.sendSessionMessage(send)))
  beforeEach(async () => {
    relay = await startRelay(emulator, { allowedFrom: [BUSINESS, "2348000000999"] })
    client = ManagedRuntime.make(layer({ relayUrl: relay.baseUrl, retry: false }))
  })
  afterEach(async () => {
    await client.dispose()
    await stopRelay(relay)
  })

  it("OneRoute's refusals arrive with the reason the relay saw", async () => {
    const unconnected = await client.runPromise(
      Effect.flip(OneRoute.sendSessionMessage({ ...send, from: "2348000000999" }))
    )
    expect(unconnected).toBeInstanceOf(RejectedError)
    expect(unconnected).toMatchObject({ reason: "channel-not-connected" })
    await emulator.clock.advance(DAY + 1)
    expect(await failure()).toMatchObject({ _tag: "RejectedError", reason: "window-closed" })
  })

  it("the relay's own refusals carry relay-* reasons", async () => {
    const denied = await startRelay(emulator, { authorize: () => false })
    const notAllowed = await startRelay(emulator, { allowedFrom: ["2348000000777"] })
    const runtimes = [denied, notAllowed].map((running) =>
      ManagedRuntime.make(layer({ relayUrl: running.baseUrl, retry: false }))
    )
    try {
      const [unauthorized, fromRefused] = await Promise.all(
        runtimes.map((runtime) => runtime.runPromise(Effect.flip(OneRoute.sendSessionMessage(send))))
      )
      expect(unauthorized).toMatchObject({ _tag: "RejectedError", refusedBy: "relay", reason: "relay-unauthorized" })
      expect(fromRefused).toMatchObject({
        _tag: "RejectedError",
        refusedBy: "relay",
        reason: "relay-from-not-allowed"
      })
    } finally {
      await Promise.all(runtimes.map((runtime) => runtime.dispose()))
      await stopRelay(denied)
      await stopRelay(notAllowed)
    }
    expect(emulator.sent()).toEqual([])
  })
})
