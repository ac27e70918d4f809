/**
 * The send engine through the Effect API on Node's own transport: interruption aborts the
 * request, per-attempt timeouts are real timers (TestClock no longer drives them), and the
 * Promise API's per-send timeout replaces the client's.
 */
import { startEmulator } from "@oneroute/testkit"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { Agent } from "undici"
import { afterAll, beforeEach, describe, expect, it } from "vitest"
import { createClient, layer, OneRoute, RequestTimeoutError } from "../src/effect.js"

const CUSTOMER = "2348012345678"
const BUSINESS = "2348000000001"
const emulator = await startEmulator()
afterAll(() => emulator.close())
beforeEach(() => {
  emulator.reset()
  emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
})
const send = { from: BUSINESS, to: CUSTOMER, message: "engine" }

/** Waits until the emulator has received `count` requests (a loaded machine may take a while). */
const requestsReach = async (count: number) => {
  while (emulator.requests() < count) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe("the engine under the Effect API (the adapter's layer)", () => {
  it("interrupting a send aborts its request: the fiber ends interrupted, the next send goes through", async () => {
    const dispatcher = new Agent()
    const runtime = ManagedRuntime.make(
      layer({ apiKey: emulator.apiKey, baseUrl: emulator.url, retry: false, dispatcher })
    )
    const running = () => Object.values(dispatcher.stats).reduce((sum, stats) => sum + stats.running, 0)
    try {
      emulator.inject({ kind: "hang" })
      const fiber = runtime.runFork(OneRoute.sendSessionMessage(send))
      await requestsReach(1)
      expect(running()).toBe(1)
      const exit = await runtime.runPromise(Fiber.interrupt(fiber))
      expect(Exit.isInterrupted(exit)).toBe(true)
      // The request was aborted, not left running (until the test's timeout, on a loaded machine).
      while (running() > 0) await new Promise((resolve) => setTimeout(resolve, 10))
      const message = await runtime.runPromise(OneRoute.sendSessionMessage({ ...send, message: "after" }))
      expect(message.content).toBe("after")
      expect(emulator.sent().map((sent) => sent.message)).toEqual(["after"])
    } finally {
      await runtime.dispose()
      await dispatcher.close()
    }
  })

  it("a per-attempt timeout is a real timer: RequestTimeoutError with the configured duration", async () => {
    const runtime = ManagedRuntime.make(
      layer({ apiKey: emulator.apiKey, baseUrl: emulator.url, timeout: Duration.millis(250), retry: false })
    )
    try {
      emulator.inject({ kind: "hang" })
      const error = await runtime.runPromise(Effect.flip(OneRoute.sendSessionMessage(send)))
      expect(error).toBeInstanceOf(RequestTimeoutError)
      expect((error as RequestTimeoutError).timeoutMs).toBe(250)
      expect(error.sendOutcome).toBe("unknown")
    } finally {
      await runtime.dispose()
    }
  })
})

describe("the engine under the Promise API", () => {
  it("a send's own timeout replaces the client's", async () => {
    const client = createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, timeout: 30_000, retry: false })
    try {
      emulator.inject({ kind: "hang" })
      const error = await client.sendSessionMessage(send, { timeout: 200 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RequestTimeoutError)
      expect((error as RequestTimeoutError).timeoutMs).toBe(200)
    } finally {
      await client.close()
    }
  })
})
