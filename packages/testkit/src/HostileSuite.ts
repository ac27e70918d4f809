/**
 * The hostile suite: every endpoint of `Endpoint.all`, by construction, against every attack of
 * the {@link startHostileOneRoute hostile OneRoute}, through three targets (the Promise client,
 * the Effect API, and a real relay with an `Idempotency-Key` and its repeat). For each send it
 * checks that the send settles with the endpoint's result or a typed `OneRouteError`; that an
 * attack that acted is never called `not-sent` and reached OneRoute exactly once (counted by the
 * server, per message body); that no rendering (message, `String`, `JSON.stringify`,
 * `util.inspect`, stack, result, relay answer and headers, log lines, span attributes) shows the
 * key in any written form; and that what is kept is bounded. Runner-agnostic like the
 * conformance suite: register each case with your runner. Node only (`node:http`, `node:util`).
 *
 * @since 0.3.0
 */
import {
  type ClientOptions,
  Endpoint,
  type IdempotencyStore,
  isOneRouteError,
  OneRoute,
  type OneRouteClient,
  type OneRouteOptions,
  type RelayHandler,
  type RelayHandlerOptions,
  type TemplateSent
} from "@oneroute/core/effect"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as ManagedRuntime from "effect/ManagedRuntime"
import type * as Tracer from "effect/Tracer"
import type { ServedHandler } from "./ConformanceTargets.js"
import {
  HOSTILE_API_KEY,
  type HostileAttack,
  type HostileOneRoute,
  hostileAttacks,
  startHostileOneRoute
} from "./HostileOneRoute.js"
import { formsIn, searchForms } from "./internal/hostile/encodings.js"
import {
  errorRenderings,
  oversizeStrings,
  type Rendering,
  recordingLogger,
  recordingTracer,
  resultRenderings,
  spanRendering
} from "./internal/hostile/observe.js"

/**
 * Any endpoint of `Endpoint.all`.
 *
 * @since 0.3.0
 */
export type AnyEndpoint = (typeof Endpoint.all)[number]

/**
 * A sample input and the documented answer to it, for every endpoint of the registry: an
 * endpoint added to the registry does not compile until it has its samples here, and needs
 * nothing else to run the whole hostile suite.
 *
 * @since 0.3.0
 */
export type HostileSamples = {
  readonly [Name in Endpoint.Name]: {
    /** A valid input of the endpoint, as a caller passes it. */
    readonly input: Endpoint.InputOf<Endpoint.Registry[Name]>
    /** The endpoint's documented answer to that input (its `success` attack). */
    readonly answer: Endpoint.AnswerOf<Endpoint.Registry[Name]>
  }
}

/** The business number every sample sends from (what the suite's relay allows). */
const BUSINESS = "2348000000001"
const AT = new Date("2026-12-01T10:00:00.000Z")

/**
 * The samples the suite sends: one session message, one template message to two recipients, one
 * campaign of two messages.
 *
 * @since 0.3.0
 */
export const hostileSamples: HostileSamples = {
  sendSessionMessage: {
    input: { from: BUSINESS, to: "2348012345678", message: "Hostile suite: your order has shipped" },
    answer: {
      id: "msg_hostile_0001",
      content: "Hostile suite: your order has shipped",
      contentType: "TEXT",
      sender: { name: "OneRoute Demo", authUser: true, lastActivity: AT },
      externalId: "wamid.HBgNMjM0ODAxMjM0NTY3OBUCABEYEjQ2",
      conversationId: "conv_hostile_0001",
      createdAt: AT,
      updatedAt: AT,
      subject: null,
      imageUrl: null,
      videoUrl: null,
      documentUrl: null,
      audioUrl: null,
      quotedMessageId: null
    }
  },
  sendTemplateMessage: {
    input: {
      from: BUSINESS,
      messages: [
        {
          to: "2348012345601",
          template: { name: "order_update", parameters: [{ type: "text", text: "Ada" }] }
        },
        {
          to: "2348012345602",
          template: { name: "order_update", parameters: [{ type: "text", text: "Bayo" }] }
        }
      ]
    },
    answer: {
      message: "Template messages sent",
      outcomes: [
        {
          to: "2348012345601" as TemplateSent["to"],
          status: "sent",
          messageId: "wamid.HBgNMjM0ODAxMjM0NTYwMRUCABEY01"
        },
        { to: "2348012345602" as TemplateSent["to"], status: "sent", messageId: "wamid.HBgNMjM0ODAxMjM0NTYwMhUCABEY02" }
      ]
    }
  },
  sendCampaign: {
    input: {
      from: BUSINESS,
      messages: [
        {
          to: "2348012345601",
          identifier: "hostile-campaign-1",
          template: { name: "order_update", parameters: [{ type: "text", text: "Ada" }] }
        },
        {
          to: "2348012345602",
          identifier: "hostile-campaign-2",
          template: { name: "order_update", parameters: [{ type: "text", text: "Bayo" }] }
        }
      ]
    },
    answer: {
      status: "accepted",
      campaignId: "868a4f7f-2c4e-4b1a-9d7e-0f3c5a6b7c8d",
      message: "Data received",
      messages: [
        { to: "2348012345601" as TemplateSent["to"], identifier: "hostile-campaign-1" },
        { to: "2348012345602" as TemplateSent["to"], identifier: "hostile-campaign-2" }
      ]
    }
  }
}

/**
 * What a runtime brings to be attacked.
 *
 * @since 0.3.0
 */
export interface HostileRuntime {
  /** The adapter's Promise client in direct mode. */
  readonly createClient: (options: ClientOptions) => OneRouteClient
  /** The adapter's `layer` (from its `/effect` entry): the Effect API. */
  readonly layer: (options: OneRouteOptions) => Layer.Layer<OneRoute>
  /** The adapter's `relayHandler`. */
  readonly relayHandler: (options: RelayHandlerOptions & OneRouteOptions) => RelayHandler
  /** Serves a web-standard handler on 127.0.0.1. */
  readonly serve: (handler: (request: Request) => Promise<Response>) => Promise<ServedHandler>
}

/**
 * The three ways a send meets the hostile OneRoute.
 *
 * @since 0.3.0
 */
export type HostileTargetName = "Promise direct" | "Effect direct" | "relay"

/**
 * Options of {@link hostileSuite}.
 *
 * @since 0.3.0
 */
export interface HostileSuiteOptions {
  /** The adapter under test. */
  readonly runtime: HostileRuntime
  /** Default: all three. */
  readonly targets?: ReadonlyArray<HostileTargetName>
  /** The relay's store, made once in `setup`. Default: the relay's own (in memory). */
  readonly idempotencyStore?: () => IdempotencyStore.IdempotencyStore | Promise<IdempotencyStore.IdempotencyStore>
  /** Default: every attack ({@link hostileAttacks}). */
  readonly attacks?: ReadonlyArray<HostileAttack>
  /** Default {@link HOSTILE_API_KEY}. */
  readonly apiKey?: string
  /** Every client's and the relay's per-attempt timeout, in ms: what ends a hanging answer. Default 5000. */
  readonly attemptTimeoutMs?: number
  /** How long a send may take before the case aborts it and fails, in ms. Default 45000. */
  readonly settleTimeoutMs?: number
}

/**
 * One case: an attack on one endpoint through one target.
 *
 * @since 0.3.0
 */
export interface HostileCase {
  /** `[relay] sendTemplateMessage × status-303-with-location`. */
  readonly name: string
  /** Which target the case sends through. */
  readonly target: HostileTargetName
  /** The endpoint's method name (`sendSessionMessage`, …). */
  readonly endpoint: string
  /** The hostile answer the case meets. */
  readonly attack: HostileAttack
  /** Rejects with a {@link HostileCheckFailure} listing every check that failed. */
  readonly run: () => Promise<void>
}

/**
 * The figures of a run.
 *
 * @since 0.3.0
 */
export interface HostileTotals {
  /** Cases run (attack × endpoint × target). */
  readonly attacksRun: number
  /** Sends made (a relay case makes two: the first and its repeat). */
  readonly sends: number
  /** Requests the hostile OneRoute counted. */
  readonly upstreamCopies: number
  /** Texts searched for the key. */
  readonly renderingsSearched: number
  /** Spans the Effect target's recording tracer saw (a tracer that records nothing would search nothing). */
  readonly spansRecorded: number
  /** Log lines the Effect target's recording logger saw. */
  readonly logLinesRecorded: number
  /** Cases with at least one failed check. */
  readonly failedCases: number
}

/**
 * A failed case: what was seen.
 *
 * @since 0.3.0
 */
export interface HostileFailureRecord {
  /** The target of the failed case. */
  readonly target: HostileTargetName
  /** The endpoint's method name. */
  readonly endpoint: string
  /** The attack's name. */
  readonly attack: string
  /** Every check that failed, in words. */
  readonly problems: ReadonlyArray<string>
}

/**
 * The suite of a runtime: start it in `setup`, run the cases, stop it in `teardown`.
 *
 * @since 0.3.0
 */
export interface HostileSuite {
  /** One case per endpoint × attack × target, for your runner. */
  readonly cases: ReadonlyArray<HostileCase>
  /** Starts the hostile OneRoute (and the relay); run it before the cases. */
  readonly setup: () => Promise<void>
  /** Stops what `setup` started. */
  readonly teardown: () => Promise<void>
  /** The figures of the cases run so far. */
  readonly totals: () => HostileTotals
  /** The failed cases so far, with what was seen. */
  readonly failures: () => ReadonlyArray<HostileFailureRecord>
}

/**
 * What a failed hostile case throws.
 *
 * @since 0.3.0
 */
export class HostileCheckFailure extends Error {
  /** Always `"HostileCheckFailure"`. */
  override readonly name = "HostileCheckFailure"
}

/** The SDK's default policy: at most 2 retries of what is certainly not sent. */
const MAX_ATTEMPTS = 3
/** The longest string kept in an error or a result field. */
const FIELD_LIMIT = 8 * 1024
/** The longest stack, and the longest relay answer body. */
const TEXT_LIMIT = 16 * 1024
/** A retry after an invalid `Retry-After` follows the policy's backoff (250 ms ± 20 %), never at once. */
const MIN_RETRY_GAP_MS = 150
/** The most of a relay answer the suite reads. */
const RELAY_READ_CAP = 4 * 1024 * 1024
const RELAY_MOUNT = "/oneroute"

type Settled =
  | { readonly kind: "result"; readonly value: unknown }
  | { readonly kind: "error"; readonly error: unknown }
  | { readonly kind: "unsettled"; readonly detail: string }

const describe = (value: unknown): string => {
  if (value instanceof Error) return `${value.name}: ${value.message.slice(0, 200)}`
  try {
    return String(JSON.stringify(value)).slice(0, 200)
  } catch {
    return typeof value
  }
}

const errorSummary = (error: { readonly _tag?: unknown; readonly sendOutcome?: unknown }): string =>
  `${String(error._tag)} (${String(error.sendOutcome)})`

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 20))

/** Reads at most `cap` bytes of a response body. */
const readCapped = async (response: Response, cap: number): Promise<{ text: string; tooLarge: boolean }> => {
  const reader = response.body?.getReader()
  if (reader === undefined) return { text: "", tooLarge: false }
  const chunks: Array<Uint8Array> = []
  let size = 0
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength
    if (size > cap) {
      await reader.cancel()
      return { text: new TextDecoder().decode(Buffer.concat(chunks)), tooLarge: true }
    }
    chunks.push(next.value)
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), tooLarge: false }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

/**
 * Builds the hostile suite for a runtime: one case per target × endpoint of `Endpoint.all` ×
 * attack, in that order.
 *
 * ```ts
 * import { createClient, layer, relayHandler } from "@oneroute/node/effect"
 *
 * const suite = hostileSuite({ runtime: { createClient, layer, relayHandler, serve } })
 * beforeAll(suite.setup)
 * afterAll(suite.teardown)
 * for (const testCase of suite.cases) it(testCase.name, testCase.run, 120_000)
 * ```
 *
 * @since 0.3.0
 */
export const hostileSuite = (options: HostileSuiteOptions): HostileSuite => {
  const targets = options.targets ?? (["Promise direct", "Effect direct", "relay"] as const)
  const attacks = options.attacks ?? hostileAttacks
  const apiKey = options.apiKey ?? HOSTILE_API_KEY
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000
  const settleTimeoutMs = options.settleTimeoutMs ?? 45_000
  const forms = searchForms(apiKey)
  const endpoints: ReadonlyArray<Endpoint.Any> = Endpoint.all
  const samples = hostileSamples as unknown as Readonly<Record<string, { input: unknown; answer: unknown }>>

  let hostile: HostileOneRoute | undefined
  let promiseClient: OneRouteClient | undefined
  let effectRuntime: ManagedRuntime.ManagedRuntime<OneRoute, never> | undefined
  let relay: { readonly url: string; readonly close: () => Promise<void> } | undefined
  const unhandled: Array<string> = []
  const onUnhandled = (reason: unknown) => {
    if (unhandled.length < 100) unhandled.push(describe(reason))
  }
  const failures: Array<HostileFailureRecord> = []
  let attacksRun = 0
  let sends = 0
  let upstreamCopies = 0
  let renderingsSearched = 0
  let spansRecorded = 0
  let logLinesRecorded = 0
  let keys = 0

  const server = (): HostileOneRoute => {
    if (hostile === undefined) throw new Error("hostileSuite: call setup() before running a case")
    return hostile
  }

  const setup = async () => {
    process.on("unhandledRejection", onUnhandled)
    process.on("uncaughtException", onUnhandled)
    hostile = await startHostileOneRoute({ apiKey, hangMs: settleTimeoutMs })
    const direct = { apiKey, baseUrl: hostile.url, timeout: attemptTimeoutMs }
    if (targets.includes("Promise direct")) promiseClient = options.runtime.createClient(direct)
    if (targets.includes("Effect direct")) effectRuntime = ManagedRuntime.make(options.runtime.layer(direct))
    if (targets.includes("relay")) {
      const store = options.idempotencyStore === undefined ? undefined : await options.idempotencyStore()
      // Every sample's business number: derived from the registry, like the relay's routes.
      const allowedFrom = (
        await Promise.all(
          endpoints.map(async (endpoint) => {
            const request = await endpoint.validate(samples[endpoint.name]?.input)
            return Either.isRight(request) ? [endpoint.from(request.right)] : []
          })
        )
      ).flat()
      // Every endpoint of the registry, forwarded (a relay forwards only the ones its options name).
      const forwardAll = { endpoints: Object.fromEntries(endpoints.map((endpoint) => [endpoint.name, true])) }
      const handler = options.runtime.relayHandler({
        ...direct,
        ...forwardAll,
        allowedFrom: [...new Set(allowedFrom)],
        authorize: () => true,
        publicUrl: "http://127.0.0.1",
        ...(store === undefined ? {} : { idempotencyStore: store })
      })
      const served = await options.runtime.serve(handler)
      relay = {
        url: `${served.url}${RELAY_MOUNT}`,
        close: async () => {
          await handler.close()
          await served.close()
        }
      }
    }
  }

  const teardown = async () => {
    await promiseClient?.close()
    await effectRuntime?.dispose()
    await relay?.close()
    await hostile?.close()
    process.off("unhandledRejection", onUnhandled)
    process.off("uncaughtException", onUnhandled)
  }

  /** The Promise client's method for an endpoint, by the endpoint's name. */
  const sendPromise = async (endpoint: Endpoint.Any, input: unknown): Promise<Settled> => {
    const client = promiseClient as unknown as Record<string, (input: unknown, options: object) => Promise<unknown>>
    const signal = AbortSignal.timeout(settleTimeoutMs)
    try {
      const method = client[endpoint.name]
      if (typeof method !== "function") throw new TypeError(`the Promise client has no ${endpoint.name}`)
      return { kind: "result", value: await method.call(client, input, { signal }) }
    } catch (error) {
      return signal.aborted && error === signal.reason
        ? { kind: "unsettled", detail: `did not settle within ${settleTimeoutMs} ms` }
        : { kind: "error", error }
    }
  }

  /** The service's operation for an endpoint, with a recording logger and tracer. */
  const sendEffect = async (
    endpoint: Endpoint.Any,
    input: unknown,
    lines: Array<string>,
    spans: Array<Tracer.Span>
  ): Promise<Settled> => {
    const runtime = effectRuntime
    if (runtime === undefined) throw new Error("hostileSuite: the Effect target was not set up")
    const signal = AbortSignal.timeout(settleTimeoutMs)
    const program = Effect.flatMap(OneRoute, (service) => {
      const operation = (service as unknown as Record<string, (input: unknown) => Effect.Effect<unknown, unknown>>)[
        endpoint.name
      ]
      if (typeof operation !== "function") return Effect.die(new TypeError(`OneRoute has no ${endpoint.name}`))
      return operation(input)
    }).pipe(
      Effect.withTracer(recordingTracer(spans)),
      Effect.provide(Logger.replace(Logger.defaultLogger, recordingLogger(lines))),
      Logger.withMinimumLogLevel(LogLevel.All)
    )
    const exit = await runtime.runPromiseExit(program, { signal })
    if (Exit.isSuccess(exit)) return { kind: "result", value: exit.value }
    const failure = Cause.failureOption(exit.cause)
    if (failure._tag === "Some") return { kind: "error", error: failure.value }
    if (Cause.isInterruptedOnly(exit.cause) && signal.aborted) {
      return { kind: "unsettled", detail: `did not settle within ${settleTimeoutMs} ms` }
    }
    return { kind: "error", error: Cause.squash(exit.cause) }
  }

  /** A raw POST to the relay with an `Idempotency-Key`, as a browser page makes it. */
  const postRelay = async (endpoint: Endpoint.Any, input: unknown, key: string) => {
    if (relay === undefined) throw new Error("hostileSuite: the relay target was not set up")
    const signal = AbortSignal.timeout(settleTimeoutMs)
    try {
      const response = await fetch(`${relay.url}/${endpoint.path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify(input),
        signal
      })
      const { text, tooLarge } = await readCapped(response, RELAY_READ_CAP)
      const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n")
      return { kind: "answer" as const, status: response.status, headers, text, tooLarge }
    } catch (error) {
      return {
        kind: "unsettled" as const,
        detail: signal.aborted ? `did not settle within ${settleTimeoutMs} ms` : describe(error)
      }
    }
  }

  /** Copies of the send (POSTs with one body) and any other request the client made. */
  const upstream = (hostile: HostileOneRoute) => {
    const received = hostile.received()
    const posts = received.filter((request) => request.method === "POST")
    const fingerprint = posts[0]?.fingerprint
    const copies = posts.filter((request) => request.fingerprint === fingerprint)
    return {
      copies: copies.length,
      gaps: copies.slice(1).map((request, index) => request.at - (copies[index]?.at ?? request.at)),
      others: received.length - copies.length,
      total: received.length + hostile.dropped()
    }
  }

  /** Checks of a typed error: `_tag`, `sendOutcome`, what the attack's truth allows. */
  const checkError = (error: unknown, attack: HostileAttack, problems: Array<string>, where: string) => {
    if (!isRecord(error) || typeof error._tag !== "string") {
      problems.push(`${where}: not a typed error: ${describe(error)}`)
      return
    }
    if (error.sendOutcome !== "not-sent" && error.sendOutcome !== "unknown") {
      problems.push(`${where}: ${error._tag} without a sendOutcome (${String(error.sendOutcome)})`)
    }
    if (attack.acted && error.sendOutcome === "not-sent") {
      problems.push(`${where}: ${errorSummary(error)} although OneRoute acted`)
    }
    if (attack.retryAfter === "invalid" && error._tag === "RateLimitedError" && error.retryAfterMs !== undefined) {
      problems.push(`${where}: an invalid Retry-After was read as a wait of ${String(error.retryAfterMs)} ms`)
    }
    if (
      error._tag === "RateLimitedError" &&
      error.retryAfterMs !== undefined &&
      !Number.isFinite(error.retryAfterMs as number)
    ) {
      problems.push(`${where}: retryAfterMs is ${String(error.retryAfterMs)}`)
    }
  }

  /** Checks of a result: the documented one for a valid success; per-recipient truth. */
  const checkResult = (
    result: unknown,
    attack: HostileAttack,
    sample: { readonly answer: unknown },
    problems: Array<string>,
    where: string
  ) => {
    if (attack.expect === "success" && JSON.stringify(result) !== JSON.stringify(sample.answer)) {
      problems.push(`${where}: the result is not the documented answer: ${describe(result)}`)
    }
    const outcomes = isRecord(result) && Array.isArray(result.outcomes) ? result.outcomes : undefined
    if (attack.unrecognisedRecipientStatus && outcomes !== undefined) {
      outcomes.forEach((outcome: unknown, index) => {
        const status = isRecord(outcome) ? outcome.status : undefined
        if (status === "failed" || status === "sent") {
          problems.push(
            `${where}: recipient ${index} with an unrecognised server status (and a message id) is "${status}"`
          )
        }
        const id = attack.recipientMessageId
        if (id !== undefined && !JSON.stringify(outcome).includes(id)) {
          problems.push(`${where}: recipient ${index} with an unrecognised server status lost its message id ${id}`)
        }
      })
    }
  }

  const checkBounded = (value: unknown, problems: Array<string>, where: string) => {
    for (const { path, length } of oversizeStrings(value, FIELD_LIMIT)) {
      problems.push(`${where}: ${path || "the value"} is ${length} characters (limit ${FIELD_LIMIT})`)
    }
  }

  const search = (renderings: ReadonlyArray<Rendering>, problems: Array<string>) => {
    renderingsSearched += renderings.length
    for (const [where, text] of renderings) {
      const found = formsIn(text, forms)
      if (found.length > 0) problems.push(`the key shows in ${where} (${found.join(", ")})`)
    }
  }

  const checkUpstream = (
    seen: ReturnType<typeof upstream>,
    attack: HostileAttack,
    problems: Array<string>,
    maxCopies: number
  ) => {
    if (attack.acted && seen.copies !== 1) problems.push(`OneRoute acted, and received ${seen.copies} copies`)
    if (!attack.acted && seen.copies > maxCopies) {
      problems.push(`${seen.copies} copies of a send that was never acted on (at most ${maxCopies})`)
    }
    if (seen.others > 0) problems.push(`${seen.others} requests besides the send's copies (a followed redirect?)`)
    if (attack.retryAfter === "beyond-max" && seen.copies > 1) {
      problems.push(`a Retry-After beyond the policy's maximum was waited for: ${seen.copies} copies`)
    }
    if (attack.retryAfter === "invalid") {
      const fast = seen.gaps.filter((gap) => gap < MIN_RETRY_GAP_MS)
      if (fast.length > 0) problems.push(`retried ${fast.length} time(s) after ${fast.join(", ")} ms (no backoff)`)
    }
  }

  const runDirect = async (
    target: "Promise direct" | "Effect direct",
    endpoint: Endpoint.Any,
    attack: HostileAttack,
    problems: Array<string>
  ) => {
    const hostile = server()
    const sample = samples[endpoint.name]
    if (sample === undefined) throw new Error(`no hostile sample for ${endpoint.name}`)
    hostile.reset()
    hostile.script(attack, { success: endpoint.encodeSuccess(sample.answer) })
    const lines: Array<string> = []
    const spans: Array<Tracer.Span> = []
    const settled =
      target === "Promise direct"
        ? await sendPromise(endpoint, sample.input)
        : await sendEffect(endpoint, sample.input, lines, spans)
    sends++
    await tick()
    const seen = upstream(hostile)
    upstreamCopies += seen.total
    checkUpstream(seen, attack, problems, MAX_ATTEMPTS)
    const renderings: Array<Rendering> = []
    if (settled.kind === "unsettled") problems.push(settled.detail)
    else if (settled.kind === "error") {
      const { error } = settled
      if (!isOneRouteError(error)) problems.push(`isOneRouteError is false for ${describe(error)}`)
      checkError(error, attack, problems, "the error")
      if (attack.expect === "success") problems.push(`the documented success failed: ${describe(error)}`)
      renderings.push(...errorRenderings("the error's", error))
      checkBounded(error, problems, "the error")
      const stack = error instanceof Error ? (error.stack ?? "") : ""
      if (stack.length > TEXT_LIMIT) problems.push(`the error's stack is ${stack.length} characters`)
    } else {
      checkResult(settled.value, attack, sample, problems, "the result")
      renderings.push(...resultRenderings("the result's", settled.value))
      checkBounded(settled.value, problems, "the result")
    }
    spansRecorded += spans.length
    logLinesRecorded += lines.length
    for (const [index, line] of lines.entries()) renderings.push([`log line ${index + 1}`, line])
    for (const span of spans) renderings.push([`span ${span.name}`, spanRendering(span)])
    search(renderings, problems)
  }

  /** What a relay answer says: the result a relay-mode client decodes, or the typed error it carries. */
  const readRelayAnswer = async (
    answer: Awaited<ReturnType<typeof postRelay>>,
    endpoint: Endpoint.Any,
    input: unknown,
    attack: HostileAttack,
    sample: { readonly answer: unknown },
    problems: Array<string>,
    which: string
  ): Promise<{
    readonly outcome: "result" | "not-sent" | "unknown" | "none"
    readonly renderings: ReadonlyArray<Rendering>
  }> => {
    if (answer.kind === "unsettled") {
      problems.push(`the ${which} relay answer: ${answer.detail}`)
      return { outcome: "none", renderings: [] }
    }
    const renderings: Array<Rendering> = [
      [`the ${which} relay answer's body`, answer.text],
      [`the ${which} relay answer's headers`, answer.headers]
    ]
    if (answer.tooLarge || answer.text.length > TEXT_LIMIT) {
      problems.push(
        `the ${which} relay answer's body is ${answer.tooLarge ? `over ${RELAY_READ_CAP}` : answer.text.length} bytes`
      )
    }
    const json = parseJson(answer.text)
    if (answer.status === 200 && isRecord(json) && json.success === true) {
      const request = await endpoint.validate(input)
      const result = Either.isRight(request) ? endpoint.decodeSuccess(json, request.right) : undefined
      if (result === undefined) {
        problems.push(`the ${which} relay answer (200) is not a success its clients can decode`)
        return { outcome: "unknown", renderings }
      }
      checkResult(result, attack, sample, problems, `the ${which} relay result`)
      checkBounded(result, problems, `the ${which} relay result`)
      renderings.push(...resultRenderings(`the ${which} relay result's`, result))
      return { outcome: "result", renderings }
    }
    const error = isRecord(json) ? json.error : undefined
    if (!isRecord(error) || typeof error._tag !== "string") {
      problems.push(`the ${which} relay answer is ${answer.status} without a typed error: ${answer.text.slice(0, 160)}`)
      return { outcome: "unknown", renderings }
    }
    checkError(error, attack, problems, `the ${which} relay error`)
    checkBounded(error, problems, `the ${which} relay error`)
    if (attack.expect === "success") {
      problems.push(`the documented success failed through the relay: ${errorSummary(error)}`)
    }
    return { outcome: error.sendOutcome === "not-sent" ? "not-sent" : "unknown", renderings }
  }

  const runRelay = async (endpoint: Endpoint.Any, attack: HostileAttack, problems: Array<string>) => {
    const hostile = server()
    const sample = samples[endpoint.name]
    if (sample === undefined) throw new Error(`no hostile sample for ${endpoint.name}`)
    hostile.reset()
    hostile.script(attack, { success: endpoint.encodeSuccess(sample.answer) })
    const key = `hostile-${process.pid}-${++keys}-${Date.now()}`
    const first = await postRelay(endpoint, sample.input, key)
    sends++
    await tick()
    const afterFirst = upstream(hostile)
    const firstRead = await readRelayAnswer(first, endpoint, sample.input, attack, sample, problems, "first")
    const repeat = await postRelay(endpoint, sample.input, key)
    sends++
    await tick()
    const afterRepeat = upstream(hostile)
    upstreamCopies += afterRepeat.total
    const repeatRead = await readRelayAnswer(repeat, endpoint, sample.input, attack, sample, problems, "repeated")
    checkUpstream(afterFirst, attack, problems, MAX_ATTEMPTS)
    if (firstRead.outcome !== "not-sent" && afterRepeat.copies > afterFirst.copies) {
      problems.push(
        `the repeat with the same Idempotency-Key sent again (${afterRepeat.copies} copies) after a first answer that was not not-sent`
      )
    }
    if (afterRepeat.copies > 2 * MAX_ATTEMPTS) problems.push(`${afterRepeat.copies} copies after the repeat`)
    search([...firstRead.renderings, ...repeatRead.renderings], problems)
  }

  const cases: Array<HostileCase> = []
  for (const target of targets) {
    for (const endpoint of endpoints) {
      for (const attack of attacks) {
        cases.push({
          name: `[${target}] ${endpoint.name} × ${attack.name}`,
          target,
          endpoint: endpoint.name,
          attack,
          run: async () => {
            const problems: Array<string> = []
            const unhandledBefore = unhandled.length
            attacksRun++
            if (target === "relay") await runRelay(endpoint, attack, problems)
            else await runDirect(target, endpoint, attack, problems)
            await tick()
            for (const reason of unhandled.slice(unhandledBefore)) {
              problems.push(`an unhandled rejection or exception: ${reason}`)
            }
            if (problems.length > 0) {
              failures.push({ target, endpoint: endpoint.name, attack: attack.name, problems })
              throw new HostileCheckFailure(
                `${attack.description} (acted: ${attack.acted}):\n- ${problems.join("\n- ")}`
              )
            }
          }
        })
      }
    }
  }

  return {
    cases,
    setup,
    teardown,
    totals: () => ({
      attacksRun,
      sends,
      upstreamCopies,
      renderingsSearched,
      spansRecorded,
      logLinesRecorded,
      failedCases: failures.length
    }),
    failures: () => failures.slice()
  }
}
