/**
 * The conformance suite's targets: every case runs through the Promise API and the Effect API,
 * each in direct mode (client → emulator) and in relay mode (client → a real relay served by
 * the same runtime → emulator). Runtime-agnostic: the runtime brings its adapter and a way to
 * start a relay.
 *
 * @since 0.2.0
 */
import {
  ClientClosedError,
  type ClientOptions,
  type ClientRetryOptions,
  Endpoint,
  makeClient,
  OneRoute,
  type OneRouteClient,
  type OneRouteOptions,
  type RelayHandler,
  type RelayHandlerOptions,
  type RelayOptions,
  type SendOptions,
  sendSessionOrTemplate
} from "@oneroute/core/effect"
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import type { ConformanceTarget } from "./ConformanceSuite.js"
import { DEFAULT_CHANNEL } from "./internal/emulator/constants.js"

/**
 * Which API a target sends through.
 *
 * @since 0.2.0
 */
export type ConformanceApi = "Promise" | "Effect"

/**
 * How a target reaches the emulator: directly, or through a relay.
 *
 * @since 0.2.0
 */
export type ConformanceMode = "direct" | "relay"

/**
 * The options of a Promise client in relay mode, durations in milliseconds.
 *
 * @since 0.2.0
 */
export interface RelayClientOptions {
  /** The relay's URL (a `StartedRelay`'s `relayUrl`). */
  readonly relayUrl: string
  /** The client's timeout per attempt, in milliseconds. */
  readonly timeout?: number
  /** The client's retry policy (`false`: none). */
  readonly retry?: ClientRetryOptions | false
}

/**
 * The OneRoute options a case gave its client, which the relay in front of the emulator gets.
 *
 * @since 0.2.0
 */
export interface CaseRelayOptions {
  /** The case's API key, which the relay holds (the client does not). */
  readonly apiKey: string
  /** Where the relay forwards: the emulator, or the case's refused URL. */
  readonly baseUrl: string
  /** The relay's timeout per upstream attempt, in milliseconds. */
  readonly timeout?: number
  /** The relay's retry policy upstream (`false`: none). */
  readonly retry?: ClientRetryOptions | false
}

/**
 * A running relay: clients in relay mode take `relayUrl`.
 *
 * @since 0.2.0
 */
export interface StartedRelay {
  /** The URL a relay-mode client sends to. */
  readonly relayUrl: string
  /** Stops the relay and releases what it holds. */
  readonly close: () => Promise<void>
}

/**
 * A server for a web-standard handler on 127.0.0.1: `url` is its origin (`http://127.0.0.1:1234`).
 *
 * @since 0.2.0
 */
export interface ServedHandler {
  /** The server's base URL, `http://127.0.0.1:PORT`. */
  readonly url: string
  /** Stops the server (and ends its open connections). */
  readonly close: () => Promise<void>
}

/**
 * What a runtime brings to be tested through the four targets.
 *
 * @since 0.2.0
 */
export interface ConformanceRuntime {
  /** The adapter's Promise client in direct mode. */
  readonly createClient: (options: ClientOptions) => OneRouteClient
  /**
   * The adapter's Promise client in relay mode (Node's and Deno's `createClient` take
   * `{ relayUrl }`: pass it here too). Default: `makeClient(layer(options))` from
   * `@oneroute/core/effect`, the Promise API over the adapter's layer.
   */
  readonly createRelayClient?: (options: RelayClientOptions) => OneRouteClient
  /** The adapter's `layer` (from its `/effect` entry): the Effect API, direct or relay mode. */
  readonly layer: (options: OneRouteOptions | RelayOptions) => Layer.Layer<OneRoute>
  /** Starts a relay holding the case's key in front of the emulator (see {@link relayStarter}). */
  readonly startRelay: (options: CaseRelayOptions) => Promise<StartedRelay>
  /** Whether the runtime tells a refused connection (not sent) from a reset (unknown). */
  readonly detectsRefusedConnection: boolean
  /**
   * The same for the relay's runtime, which is what a refused upstream meets in relay mode.
   * Default: `detectsRefusedConnection` (the relay runs where the client does).
   */
  readonly relayDetectsRefusedConnection?: boolean
  /** A loopback URL where nothing listens, asked for once per refused-connection case. */
  readonly refusedUrl: () => string
}

/**
 * One target with its name, for example `[Effect, relay]`.
 *
 * @since 0.2.0
 */
export interface NamedConformanceTarget {
  /** The API the target sends through. */
  readonly api: ConformanceApi
  /** Direct to the emulator, or through a relay. */
  readonly mode: ConformanceMode
  /** `[Promise, direct]`, `[Effect, relay]`, …: for test names. */
  readonly label: string
  /** What each case runs against. */
  readonly target: ConformanceTarget
}

/** The business numbers a case's relay allows: the emulator's default channel (every case's `from`). */
const ALLOWED_FROM: ReadonlyArray<string> = [DEFAULT_CHANNEL.number]

/** Where relays are mounted on their server: they answer every endpoint below it. */
const RELAY_PATH = "/oneroute"

/**
 * How much longer a relay-mode client waits than its relay: the relay's timeout (the case's)
 * always fires first, and its `RequestTimeoutError` is what reaches the client. Generous, for a
 * busy machine; only a relay that never answers makes a case wait this long.
 */
const RELAY_CLIENT_MARGIN_MS = 15_000

/** The default timeout of a case's client (`session` in the suite gives 30 s; some cases none). */
const DEFAULT_TIMEOUT_MS = 30_000

/**
 * Makes `startRelay` from an adapter's `relayHandler` and a way to serve a handler: one relay
 * per client with the case's key, base URL, timeout and retries, allowing the emulator's
 * default channel, open to every caller (`authorize: () => true`), mounted at `/oneroute`.
 *
 * @since 0.2.0
 */
export const relayStarter =
  (
    relayHandler: (options: RelayHandlerOptions & OneRouteOptions) => RelayHandler,
    serve: (handler: (request: Request) => Promise<Response>) => Promise<ServedHandler>
  ) =>
  async ({ apiKey, baseUrl, timeout, retry }: CaseRelayOptions): Promise<StartedRelay> => {
    const relay = relayHandler({
      apiKey,
      baseUrl,
      ...(timeout === undefined ? {} : { timeout }),
      ...(retry === undefined ? {} : { retry }),
      allowedFrom: ALLOWED_FROM,
      authorize: () => true,
      // Every case runs through the relay, whatever its endpoint.
      endpoints: Object.fromEntries(Endpoint.all.map((endpoint) => [endpoint.name, true])),
      // Clients on a server send no Origin; the relay still needs its own origin configured.
      publicUrl: "http://127.0.0.1"
    })
    let served: ServedHandler
    try {
      served = await serve(relay)
    } catch (error) {
      await relay.close()
      throw error
    }
    return {
      relayUrl: `${served.url}${RELAY_PATH}`,
      // The relay first: closing it releases its connections, so a send it still has in flight
      // (the abort case's, to a hanging emulator) ends, and the server's graceful close need not wait.
      close: async () => {
        await relay.close()
        await served.close()
      }
    }
  }

/**
 * A Promise façade over the Effect API: builds `layer` once (in a scope closed by `close()`)
 * and runs each send as the service's operation (`OneRoute.sendSessionMessage(input)`, …)
 * with `Effect.provide` and `Effect.runPromiseExit` (the `signal` interrupts the fiber). It rejects with the typed
 * failure itself, or `signal.reason` when the abort interrupted the send, so the cases see
 * exactly what an Effect program sees. Per-call `headers` and `timeout` are not part of the
 * Effect API: passing them throws.
 *
 * @since 0.2.0
 */
export const effectClient = <E>(layer: Layer.Layer<OneRoute, E>): OneRouteClient => {
  const scope = Effect.runSync(Scope.make())
  let built: Promise<Exit.Exit<Context.Context<OneRoute>, E>> | undefined
  let closed = false
  const rejectionOf = (cause: Cause.Cause<unknown>, signal: AbortSignal | undefined): unknown => {
    const failure = Cause.failureOption(cause)
    if (failure._tag === "Some") return failure.value
    if (Cause.isInterruptedOnly(cause) && signal?.aborted) return signal.reason
    return Cause.squash(cause)
  }
  /** One method: an Effect of the API (an endpoint's operation, …), run with the layer's context. */
  const run =
    (operation: (input: never) => Effect.Effect<unknown, unknown, OneRoute>) =>
    async (input: unknown, options?: SendOptions): Promise<unknown> => {
      if (options?.headers !== undefined || options?.timeout !== undefined) {
        throw new TypeError("the Effect API has no per-call headers or timeout: this target cannot run that case")
      }
      if (closed) throw new ClientClosedError()
      built ??= Effect.runPromiseExit(Layer.buildWithScope(layer, scope))
      const context = await built
      if (Exit.isFailure(context)) throw rejectionOf(context.cause, undefined)
      const signal = options?.signal
      const exit = await Effect.runPromiseExit(
        Effect.provide(
          (operation as (input: unknown) => Effect.Effect<unknown, unknown, OneRoute>)(input),
          context.value
        ),
        signal === undefined ? undefined : { signal }
      )
      if (Exit.isSuccess(exit)) return exit.value
      throw rejectionOf(exit.cause, signal)
    }
  return {
    ...Object.fromEntries(Endpoint.all.map(({ name }) => [name, run(OneRoute[name])])),
    sendSessionOrTemplate: run(sendSessionOrTemplate),
    close: async () => {
      closed = true
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  } as unknown as OneRouteClient
}

/**
 * A client in relay mode whose relay (started asynchronously with the case's options) closes
 * with it. The relay's timeout is the case's; the client's is longer, so the relay decides.
 */
const throughRelay =
  (runtime: ConformanceRuntime, makeClient: (options: RelayClientOptions) => OneRouteClient) =>
  (options: ClientOptions): OneRouteClient => {
    const { timeout, retry } = options
    const started = runtime
      .startRelay({
        apiKey: String(options.apiKey),
        baseUrl: String(options.baseUrl),
        ...(typeof timeout === "number" ? { timeout } : {}),
        ...(retry === undefined ? {} : { retry })
      })
      .then((relay) => ({
        relay,
        client: makeClient({
          relayUrl: relay.relayUrl,
          timeout: (typeof timeout === "number" ? timeout : DEFAULT_TIMEOUT_MS) + RELAY_CLIENT_MARGIN_MS,
          // Same policy as the relay's: what a team would configure on both sides.
          ...(retry === undefined ? {} : { retry })
        })
      }))
    const forward =
      (name: Endpoint.Name | "sendSessionOrTemplate") =>
      async (input: unknown, sendOptions?: SendOptions): Promise<unknown> =>
        ((await started).client[name] as (input: unknown, options?: SendOptions) => Promise<unknown>)(
          input,
          sendOptions
        )
    return {
      ...Object.fromEntries(Endpoint.all.map(({ name }) => [name, forward(name)])),
      sendSessionOrTemplate: forward("sendSessionOrTemplate"),
      close: async () => {
        const { relay, client } = await started
        try {
          await client.close()
        } finally {
          await relay.close()
        }
      }
    } as unknown as OneRouteClient
  }

/**
 * The four targets of a runtime, in a stable order: `[Promise, direct]`, `[Effect, direct]`,
 * `[Promise, relay]`, `[Effect, relay]`. The cases are the same for all four: through a relay,
 * errors arrive as the same classes with the same fields.
 *
 * @since 0.2.0
 */
export const conformanceTargets = (runtime: ConformanceRuntime): ReadonlyArray<NamedConformanceTarget> => {
  const relayPromise =
    runtime.createRelayClient ?? ((options: RelayClientOptions) => makeClient(runtime.layer(options)))
  const relayEffect = (options: RelayClientOptions) => effectClient(runtime.layer(options))
  const clients: ReadonlyArray<readonly [ConformanceApi, ConformanceMode, (options: ClientOptions) => OneRouteClient]> =
    [
      ["Promise", "direct", runtime.createClient],
      ["Effect", "direct", (options) => effectClient(runtime.layer(options))],
      ["Promise", "relay", throughRelay(runtime, relayPromise)],
      ["Effect", "relay", throughRelay(runtime, relayEffect)]
    ]
  return clients.map(([api, mode, createClient]) => ({
    api,
    mode,
    label: `[${api}, ${mode}]`,
    target: {
      createClient,
      detectsRefusedConnection:
        mode === "relay"
          ? (runtime.relayDetectsRefusedConnection ?? runtime.detectsRefusedConnection)
          : runtime.detectsRefusedConnection,
      get refusedUrl() {
        return runtime.refusedUrl()
      }
    }
  }))
}
