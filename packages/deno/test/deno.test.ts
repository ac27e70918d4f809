/**
 * Deno-specific behaviour of the adapter: options from `Deno.env` (`layerConfig` of
 * `@oneroute/deno/effect`, `createClient`), env permissions (none needed in relay mode), and
 * `close()` ending a send in flight. (One send per call on a reused connection is the transport
 * suite's, transportSuite.test.ts.)
 */
import { connectEmulator, type EmulatorControl } from "@oneroute/testkit/conformance"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { layer, layerConfig, OneRoute } from "../src/effect.ts"
import {
  createClient,
  InvalidApiKeyError,
  InvalidOptionsError,
  NetworkError,
  RejectedError,
  relayHandler
} from "../src/index.ts"
import { startEmulatorHost } from "./support/emulatorHost.ts"
import { test } from "./support/test.ts"

const CUSTOMER = "2348012345678"
const NAMES = ["ONEROUTE_API_KEY", "ONEROUTE_BASE_URL", "ONEROUTE_TIMEOUT"] as const

const assert = (condition: boolean, message: string): void => {
  if (!condition) throw new Error(message)
}

/** Runs `body` with the OneRoute variables set to `values` (others unset), then restores them. */
const withEnv = async (values: Partial<Record<(typeof NAMES)[number], string>>, body: () => Promise<void>) => {
  const saved = NAMES.map((name) => [name, Deno.env.get(name)] as const)
  try {
    for (const name of NAMES) {
      const value = values[name]
      if (value === undefined) Deno.env.delete(name)
      else Deno.env.set(name, value)
    }
    await body()
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name)
      else Deno.env.set(name, value)
    }
  }
}

const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error
  )

/** Starts an emulator host, opens the window for CUSTOMER, and runs `body`. */
const withEmulator = async (body: (control: EmulatorControl, from: string) => Promise<void>) => {
  const host = await startEmulatorHost()
  try {
    const control = await connectEmulator(host.url)
    const from = control.channels[0]?.number ?? ""
    await control.receiveInbound({ from: CUSTOMER, to: from })
    await body(control, from)
  } finally {
    await host.close()
  }
}

test("layerConfig reads ONEROUTE_API_KEY, ONEROUTE_BASE_URL and ONEROUTE_TIMEOUT from Deno.env", () =>
  withEmulator((control, from) =>
    withEnv(
      { ONEROUTE_API_KEY: control.apiKey, ONEROUTE_BASE_URL: control.url, ONEROUTE_TIMEOUT: "5 seconds" },
      async () => {
        const message = await Effect.runPromise(
          OneRoute.sendSessionMessage({ from, to: CUSTOMER, message: "from layerConfig" }).pipe(
            Effect.provide(layerConfig)
          )
        )
        const sent = await control.sent()
        assert(sent.length === 1 && sent[0]?.id === message.id, "the emulator accepted the message")
      }
    )
  ))

test("layerConfig fails with a ConfigError without ONEROUTE_API_KEY, or with a bad ONEROUTE_TIMEOUT", async () => {
  await withEnv({}, async () => {
    const exit = await Effect.runPromiseExit(Effect.provide(OneRoute, layerConfig))
    assert(Exit.isFailure(exit), "building the layer fails")
    const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
    assert(failure?._tag === "Some" && ConfigError.isConfigError(failure.value), "with a ConfigError")
    assert(String(failure?._tag === "Some" ? failure.value : "").includes("ONEROUTE_API_KEY"), "naming the variable")
  })
  await withEnv({ ONEROUTE_API_KEY: "key", ONEROUTE_TIMEOUT: "soon" }, async () => {
    const exit = await Effect.runPromiseExit(Effect.provide(OneRoute, layerConfig))
    const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
    assert(failure?._tag === "Some" && ConfigError.isConfigError(failure.value), "a bad timeout is a ConfigError")
    assert(String(failure?._tag === "Some" ? failure.value : "").includes("ONEROUTE_TIMEOUT"), "naming the variable")
  })
})

test("createClient() falls back to Deno.env; explicit options win", () =>
  withEmulator((control, from) =>
    withEnv({ ONEROUTE_API_KEY: control.apiKey, ONEROUTE_BASE_URL: control.url }, async () => {
      const fromEnv = createClient()
      try {
        await fromEnv.sendSessionMessage({ from, to: CUSTOMER, message: "from the environment" })
      } finally {
        await fromEnv.close()
      }
      const explicit = createClient({ apiKey: "not-the-key" })
      try {
        const error = await rejectionOf(explicit.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }))
        assert(error instanceof InvalidApiKeyError, `the explicit key is used, got ${String(error)}`)
      } finally {
        await explicit.close()
      }
      assert((await control.sent()).length === 1, "one message accepted")
    })
  ))

test("createClient() without an API key anywhere throws InvalidOptionsError at once", () =>
  withEnv({}, () => {
    let thrown: unknown
    try {
      createClient()
    } catch (error) {
      thrown = error
    }
    assert(thrown instanceof InvalidOptionsError, `expected InvalidOptionsError, got ${String(thrown)}`)
    return Promise.resolve()
  }))

test({
  name: "without env permission: full options need none; a missing one fails with Deno's NotCapable or a ConfigError",
  permissions: { env: false, net: ["127.0.0.1"] },
  fn: () =>
    withEmulator(async (control, from) => {
      const client = createClient({ apiKey: control.apiKey, baseUrl: control.url, timeout: 30_000 })
      try {
        await client.sendSessionMessage({ from, to: CUSTOMER, message: "no env needed" })
      } finally {
        await client.close()
      }
      let thrown: unknown
      try {
        createClient({ apiKey: control.apiKey })
      } catch (error) {
        thrown = error
      }
      assert(thrown instanceof Deno.errors.NotCapable, `expected Deno.errors.NotCapable, got ${String(thrown)}`)
      const exit = await Effect.runPromiseExit(Effect.provide(OneRoute, layerConfig))
      const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
      assert(
        failure?._tag === "Some" && ConfigError.isConfigError(failure.value),
        "layerConfig fails with a ConfigError"
      )
    })
})

test({
  name: "createClient({ relayUrl }) reads no environment: it sends through a relay without env permission",
  permissions: { env: false, net: ["127.0.0.1"] },
  fn: () =>
    withEmulator(async (control, from) => {
      // The relay gets every option, so it reads no environment either.
      const relay = relayHandler({
        apiKey: control.apiKey,
        baseUrl: control.url,
        timeout: 30_000,
        allowedFrom: [from],
        authorize: () => true,
        publicUrl: "https://support.example.com"
      })
      const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, relay)
      const client = createClient({ relayUrl: `http://127.0.0.1:${server.addr.port}/oneroute` })
      try {
        const message = await client.sendSessionMessage({ from, to: CUSTOMER, message: "via relay, no env" })
        assert(message.content === "via relay, no env", `content: ${message.content}`)
        const refused = await rejectionOf(
          client.sendSessionMessage({ from: "2348000000009", to: CUSTOMER, message: "x" })
        )
        assert(
          refused instanceof RejectedError && refused.refusedBy === "relay",
          `a from outside the allow-list is the relay's RejectedError, got ${String(refused)}`
        )
        assert((await control.sent()).length === 1, `one message accepted, got ${(await control.sent()).length}`)
      } finally {
        await client.close()
        await server.shutdown()
        await relay.close()
      }
    })
})

test("close() ends a send still in flight: NetworkError (unknown), long before its timeout", () =>
  withEmulator(async (control, from) => {
    const client = createClient({ apiKey: control.apiKey, baseUrl: control.url, timeout: 50_000, retry: false })
    await control.inject({ kind: "hang" })
    const pending = rejectionOf(client.sendSessionMessage({ from, to: CUSTOMER, message: "hung" }))
    while ((await control.requests()) < 1) await new Promise((resolve) => setTimeout(resolve, 10))
    await client.close()
    // Without the abort on close, only its 50 s timeout would end it, as a RequestTimeoutError.
    const error = await pending
    assert(
      error instanceof NetworkError && error.sendOutcome === "unknown",
      `expected NetworkError (unknown), got ${String(error)}`
    )
  }))

test("relayHandler on Deno.serve forwards with the key, asks authorize; the same Idempotency-Key sends once", () =>
  withEmulator(async (control, from) => {
    const relay = relayHandler({
      apiKey: control.apiKey,
      baseUrl: control.url,
      allowedFrom: [from],
      authorize: (request) => request.headers.get("authorization") !== "Bearer refused",
      publicUrl: "https://support.example.com"
    })
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, relay)
    const relayUrl = `http://127.0.0.1:${server.addr.port}/oneroute`
    const sendUrl = `${relayUrl}/api/public/conversation/text`
    try {
      const message = await Effect.runPromise(
        OneRoute.sendSessionMessage({ from, to: CUSTOMER, message: "via relay" }).pipe(
          Effect.provide(layer({ relayUrl }))
        )
      )
      assert(message.content === "via relay", "the relay answered with the message")
      const post = () =>
        fetch(sendUrl, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": "deno-key" },
          body: JSON.stringify({ from, to: CUSTOMER, message: "once" })
        }).then((response) => response.text())
      const [first, second] = await Promise.all([post(), post()])
      assert(first === second, "a repeat gets the first answer")
      const unauthorised = await fetch(sendUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer refused" },
        body: JSON.stringify({ from, to: CUSTOMER, message: "refused" })
      })
      assert(unauthorised.status === 401, `authorize refuses with 401, got ${unauthorised.status}`)
      await unauthorised.body?.cancel()
      assert((await control.sent()).length === 2, `two messages in all, got ${(await control.sent()).length}`)
      const refused = await Effect.runPromise(
        Effect.flip(OneRoute.sendSessionMessage({ from: "2348000000009", to: CUSTOMER, message: "x" })).pipe(
          Effect.provide(layer({ relayUrl }))
        )
      )
      assert(
        refused instanceof RejectedError,
        `a from outside the allow-list is a RejectedError, got ${String(refused)}`
      )
    } finally {
      await server.shutdown()
      await relay.close()
    }
  }))

test("layerConfig: an unusable ONEROUTE_BASE_URL is a ConfigError naming the option", () =>
  withEnv({ ONEROUTE_API_KEY: "k", ONEROUTE_BASE_URL: "http://api.oneroute.io" }, async () => {
    const exit = await Effect.runPromiseExit(
      OneRoute.sendSessionMessage({ from: "2348000000001", to: CUSTOMER, message: "x" }).pipe(
        Effect.provide(layerConfig)
      )
    )
    const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
    assert(
      failure?._tag === "Some" &&
        ConfigError.isConfigError(failure.value) &&
        /ONEROUTE_BASE_URL/.test(String(failure.value)),
      `expected a ConfigError about ONEROUTE_BASE_URL, got ${String(exit)}`
    )
  }))
