/**
 * The cross-runtime conformance suite: the behaviour every adapter must show against a real
 * emulator. It is runner-agnostic: register each case with your runner (`it` in vitest,
 * `Deno.test` in Deno) and call `run`.
 *
 * @since 0.1.0
 */
import {
  type ClientOptions,
  InvalidApiKeyError,
  InvalidInputError,
  NetworkError,
  type OneRouteClient,
  RateLimitedError,
  RejectedError,
  RequestTimeoutError,
  ServerError,
  UnexpectedResponseError
} from "@oneroute/core"
import * as Duration from "effect/Duration"
import type { EmulatorControl } from "./EmulatorControl.js"
import { check, equal, rejection } from "./internal/conformance/assertions.js"
import { campaignCases } from "./internal/conformance/campaignCases.js"
import { templateCases } from "./internal/conformance/templateCases.js"

/**
 * What an adapter provides to be tested.
 *
 * @since 0.1.0
 */
export interface ConformanceTarget {
  /** Builds the adapter's Promise client in direct mode. */
  readonly createClient: (options: ClientOptions) => OneRouteClient
  /** Whether the runtime can tell a refused connection (not sent) from a reset (unknown). */
  readonly detectsRefusedConnection: boolean
  /** A loopback URL where nothing listens, for the refused-connection case. */
  readonly refusedUrl: string
}

/**
 * One conformance case.
 *
 * @since 0.1.0
 */
export interface ConformanceCase {
  /** What the case checks, for the test's name. */
  readonly name: string
  /** Runs the case on `target` against the emulator; rejects when the adapter misbehaves. */
  readonly run: (target: ConformanceTarget, emulator: EmulatorControl) => Promise<void>
}

/** The customer in every case; the business number is the emulator's first channel. */
const CUSTOMER = "2348012345678"

const session = async (target: ConformanceTarget, emulator: EmulatorControl, options: Partial<ClientOptions> = {}) => {
  const from = emulator.channels[0]?.number ?? ""
  await emulator.receiveInbound({ from: CUSTOMER, to: from })
  // A timeout far above any loaded machine's answer time: only the timeout case sets a short one.
  const client = target.createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, timeout: 30_000, ...options })
  return { client, from, apiKey: emulator.apiKey }
}

const withClient =
  (
    options: Partial<ClientOptions>,
    body: (
      ctx: Awaited<ReturnType<typeof session>>,
      emulator: EmulatorControl,
      target: ConformanceTarget
    ) => Promise<void>
  ) =>
  async (target: ConformanceTarget, emulator: EmulatorControl) => {
    const ctx = await session(target, emulator, options)
    try {
      await body(ctx, emulator, target)
    } finally {
      await ctx.client.close()
    }
  }

/**
 * Every case, in a stable order.
 *
 * @since 0.1.0
 */
export const conformanceCases: ReadonlyArray<ConformanceCase> = [
  {
    name: "sends a session message and decodes the documented answer",
    run: withClient({}, async ({ client, from }, emulator) => {
      const message = await client.sendSessionMessage({ from, to: CUSTOMER, message: "Hello :)" })
      equal(message.content, "Hello :)", "content")
      check(message.createdAt instanceof Date && !Number.isNaN(message.createdAt.getTime()), "createdAt is a Date")
      check(typeof message.conversationId === "string" && message.conversationId.length > 0, "conversationId is set")
      equal(message.quotedMessageId, null, "quotedMessageId")
      const sent = await emulator.sent()
      equal(sent.length, 1, "messages the emulator accepted")
      equal(sent[0]?.id, message.id, "accepted message id")
    })
  },
  {
    name: "normalises +234 801 234 5678 to 2348012345678",
    run: withClient({}, async ({ client, from }, emulator) => {
      await client.sendSessionMessage({ from: `+${from}`, to: "+234 801 234 5678", message: "hi" })
      equal((await emulator.sent())[0]?.to, CUSTOMER, "number the emulator received")
    })
  },
  {
    name: "sends 4096 characters and refuses 4097 with InvalidInputError, making no request",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await client.sendSessionMessage({ from, to: CUSTOMER, message: "a".repeat(4096) })
      const error = await rejection(
        client.sendSessionMessage({ from, to: CUSTOMER, message: "a".repeat(4097) }),
        InvalidInputError,
        "not-sent",
        apiKey
      )
      equal(error.issues[0]?.path.join("."), "message", "issue path")
      equal(await emulator.requests(), 1, "requests the emulator received")
    })
  },
  {
    name: "lists every invalid field in one InvalidInputError",
    run: withClient({}, async ({ client, apiKey }, emulator) => {
      const error = await rejection(
        client.sendSessionMessage({ from: "12", to: "not a number", message: " " }),
        InvalidInputError,
        "not-sent",
        apiKey
      )
      equal(
        error.issues
          .map((issue) => issue.path.join("."))
          .sort()
          .join(","),
        "from,message,to",
        "issue paths"
      )
      equal(await emulator.requests(), 0, "requests the emulator received")
    })
  },
  {
    name: "a wrong API key is InvalidApiKeyError (not-sent)",
    run: async (target, emulator) => {
      const from = emulator.channels[0]?.number ?? ""
      await emulator.receiveInbound({ from: CUSTOMER, to: from })
      const client = target.createClient({ apiKey: "wrong-key", baseUrl: emulator.url })
      try {
        const error = await rejection(
          client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }),
          InvalidApiKeyError,
          "not-sent",
          "wrong-key"
        )
        equal(error.serverMessage, "Invalid API Key", "server message")
      } finally {
        await client.close()
      }
    }
  },
  {
    name: "a closed 24-hour window is RejectedError (not-sent, reason window-closed) with the server's explanation",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.advanceClock(24 * 60 * 60 * 1000 + 1)
      const error = await rejection(
        client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }),
        RejectedError,
        "not-sent",
        apiKey
      )
      check(error.status >= 400 && error.status < 500, `a 4xx status, got ${error.status}`)
      check((error.serverMessage ?? "").length > 0, "the server's message is kept")
      equal(error.reason, "window-closed", "reason")
      equal((await emulator.sent()).length, 0, "messages accepted")
    })
  },
  {
    name: "a 429 with Retry-After: 1 is retried after a second and succeeds once",
    run: withClient({}, async ({ client, from }, emulator) => {
      await emulator.inject({ kind: "rate-limit", retryAfter: 1 })
      const started = Date.now()
      await client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" })
      check(Date.now() - started >= 950, `waited ${Date.now() - started} ms, expected about 1000`)
      equal(await emulator.requests(), 2, "requests")
      equal((await emulator.sent()).length, 1, "messages accepted")
    })
  },
  {
    name: "a 429 without retries is RateLimitedError with the Retry-After the server sent",
    run: withClient({ retry: false }, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "rate-limit", retryAfter: 7 })
      const error = await rejection(
        client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }),
        RateLimitedError,
        "not-sent",
        apiKey
      )
      // Effect code reads a Duration; Promise code milliseconds and readable text.
      const retryAfter = error.retryAfter === undefined ? undefined : Duration.toMillis(error.retryAfter)
      equal(retryAfter, 7_000, "retryAfter as a Duration")
      equal(error.retryAfterMs, 7_000, "retryAfterMs")
      check(/Retry after 7 s\./.test(error.message), `a readable wait in the message: ${error.message}`)
      const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>
      equal(json.retryAfterMs, 7_000, "retryAfterMs in JSON")
      check(!JSON.stringify(error).includes("Duration"), `no Duration in JSON: ${JSON.stringify(error)}`)
      equal(await emulator.requests(), 1, "requests")
    })
  },
  {
    name: "a 502 HTML page is ServerError (unknown) and is not retried",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({
        kind: "status",
        status: 502,
        body: "<html><h1>Bad Gateway</h1></html>",
        contentType: "text/html"
      })
      const error = await rejection(
        client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }),
        ServerError,
        "unknown",
        apiKey
      )
      equal(error.status, 502, "status")
      equal(await emulator.requests(), 1, "requests")
    })
  },
  {
    name: "a 404 HTML page is RejectedError (not-sent)",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "status", status: 404, body: "<html>Not Found</html>", contentType: "text/html" })
      const error = await rejection(
        client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }),
        RejectedError,
        "not-sent",
        apiKey
      )
      equal(error.serverMessage, undefined, "server message of an HTML body")
    })
  },
  {
    name: "a malformed 200 body is UnexpectedResponseError (unknown)",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "malformed" })
      const error = await rejection(
        client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }),
        UnexpectedResponseError,
        "unknown",
        apiKey
      )
      equal(error.status, 200, "status")
      check(error.bodyExcerpt.length > 0, "keeps a body excerpt")
    })
  },
  {
    name: "a truncated 200 body is UnexpectedResponseError (unknown), not retried",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "truncated" })
      await rejection(
        client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }),
        UnexpectedResponseError,
        "unknown",
        apiKey
      )
      equal((await emulator.sent()).length, 1, "messages accepted")
    })
  },
  {
    name: "a reset after the emulator accepted is NetworkError (unknown), not retried: exactly one copy",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "reset", when: "after-accept" })
      await rejection(client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }), NetworkError, "unknown", apiKey)
      equal((await emulator.sent()).length, 1, "messages accepted")
      equal(await emulator.requests(), 1, "requests")
    })
  },
  {
    name: "a reset before accepting is NetworkError (unknown): the client cannot know",
    run: withClient({}, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "reset", when: "before-accept" })
      await rejection(client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }), NetworkError, "unknown", apiKey)
      equal((await emulator.sent()).length, 0, "messages accepted")
    })
  },
  {
    name: "no answer within the timeout is RequestTimeoutError (unknown)",
    run: withClient({ timeout: 300 }, async ({ client, from, apiKey }, emulator) => {
      await emulator.inject({ kind: "hang" })
      const error = await rejection(
        client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }),
        RequestTimeoutError,
        "unknown",
        apiKey
      )
      equal(error.timeoutMs, 300, "timeoutMs")
      check(/within 300 ms\./.test(error.message), `a readable timeout in the message: ${error.message}`)
      check(!JSON.stringify(error).includes("Duration"), `no Duration in JSON: ${JSON.stringify(error)}`)
      equal(await emulator.requests(), 1, "requests")
    })
  },
  {
    name: "a refused connection is NetworkError; not-sent where the runtime can tell",
    run: async (target) => {
      const client = target.createClient({
        apiKey: "refused-key",
        baseUrl: target.refusedUrl,
        retry: { baseDelay: 10 }
      })
      try {
        await rejection(
          client.sendSessionMessage({ from: "2348000000001", to: CUSTOMER, message: "hi" }),
          NetworkError,
          target.detectsRefusedConnection ? "not-sent" : "unknown",
          "refused-key"
        )
      } finally {
        await client.close()
      }
    }
  },
  {
    name: "aborting the signal rejects with signal.reason and stops the send",
    run: withClient({}, async ({ client, from }, emulator) => {
      // The server never answers: only the abort can end this send.
      await emulator.inject({ kind: "hang" })
      const controller = new AbortController()
      const pending = client.sendSessionMessage({ from, to: CUSTOMER, message: "hi" }, { signal: controller.signal })
      setTimeout(() => controller.abort(), 50)
      const reason = await pending.then(
        () => undefined,
        (error: unknown) => error
      )
      check(reason === controller.signal.reason, `rejects with signal.reason, got ${String(reason)}`)
      check(reason instanceof DOMException && reason.name === "AbortError", "the default reason is an AbortError")
      const early = await client
        .sendSessionMessage({ from, to: CUSTOMER, message: "hi" }, { signal: AbortSignal.abort() })
        .then(
          () => "resolved",
          (error: unknown) => (error instanceof DOMException ? error.name : String(error))
        )
      equal(early, "AbortError", "an already-aborted signal")
    })
  },
  ...templateCases,
  ...campaignCases
]
