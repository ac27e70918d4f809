/**
 * The webhook receiver end to end, on any runtime: the emulator posts signed `newMessage`
 * events (with its delivery faults) to the runtime's `webhookHandler`, served by the runtime's own
 * server, feeding a window tracker that the runtime's client also feeds. Runtime-agnostic: the
 * runtime brings its adapter's functions and a way to serve a handler.
 *
 * @since 0.4.0
 */
import type { ClientOptions, OneRouteClient, WebhookEvent, WebhookHandlerOptions, WindowTracker } from "@oneroute/core"
import type { ServedHandler } from "./ConformanceTargets.js"
import type { EmulatorControl } from "./EmulatorControl.js"
import { check, equal } from "./internal/conformance/assertions.js"

/**
 * What a runtime brings to the webhook suite: its adapter's functions and a server.
 *
 * @since 0.4.0
 */
export interface WebhookRuntime {
  /** The adapter's `createClient`. */
  readonly createClient: (options: ClientOptions) => OneRouteClient
  /** The adapter's `webhookHandler`. */
  readonly webhookHandler: (options: WebhookHandlerOptions) => (request: Request) => Promise<Response>
  /** The adapter's `createWindowTracker`. */
  readonly createWindowTracker: () => WindowTracker
  /** Serves a web-standard handler on 127.0.0.1 the way the runtime does (`toNodeListener`, `Deno.serve`). */
  readonly serve: (handler: (request: Request) => Promise<Response>) => Promise<ServedHandler>
}

/**
 * One case of the webhook suite.
 *
 * @since 0.4.0
 */
export interface WebhookCase {
  /** What the case checks. */
  readonly name: string
  /** Runs the case against `emulator`; rejects with what failed. */
  readonly run: (runtime: WebhookRuntime, emulator: EmulatorControl) => Promise<void>
}

const SECRET = "whsec-conformance-0123456789"
const CUSTOMER = "2348012345678"

interface Receiver {
  readonly events: ReadonlyArray<WebhookEvent>
  readonly windows: WindowTracker
  readonly client: OneRouteClient
  readonly business: string
}

/** A receiver on the runtime's server, the emulator posting to it, and a client sharing its tracker. */
const withReceiver =
  (body: (receiver: Receiver, emulator: EmulatorControl) => Promise<void>) =>
  async (runtime: WebhookRuntime, emulator: EmulatorControl) => {
    const events: Array<WebhookEvent> = []
    const windows = runtime.createWindowTracker()
    const served = await runtime.serve(
      runtime.webhookHandler({ secret: SECRET, windows, onEvent: (event) => void events.push(event) })
    )
    const client = runtime.createClient({ apiKey: emulator.apiKey, baseUrl: emulator.url, windows })
    try {
      await emulator.configureWebhook({ url: served.url, secret: SECRET })
      await body({ events, windows, client, business: emulator.channels[0]?.number ?? "" }, emulator)
    } finally {
      await emulator.configureWebhook(null)
      await client.close()
      await served.close()
    }
  }

/**
 * The webhook cases, in a stable order.
 *
 * @since 0.4.0
 */
export const webhookCases: ReadonlyArray<WebhookCase> = [
  {
    name: "webhook: a signed newMessage runs onEvent once; a session send links its conversation and the window is open",
    run: withReceiver(async ({ events, windows, client, business }, emulator) => {
      await emulator.receiveInbound({ from: CUSTOMER, to: business })
      const [delivery] = await emulator.flushWebhooks()
      equal(delivery?.status, 200, "the receiver's answer")
      equal(events.length, 1, "events")
      const [event] = events
      check(event?._tag === "NewMessage" && event.direction === "inbound", `an inbound NewMessage, got ${event?._tag}`)
      equal(
        event?._tag === "NewMessage" ? event.conversationId : undefined,
        delivery?.conversationId,
        "conversation id"
      )
      equal((await windows.status({ from: business, to: CUSTOMER })).state, "unknown", "before a send links it")
      const result = await client.sendSessionOrTemplate({
        from: business,
        to: CUSTOMER,
        message: "Thanks for writing",
        template: { name: "hello_world", parameters: [] }
      })
      equal(result.via, "session", "sent as")
      equal((await windows.status({ from: business, to: CUSTOMER })).state, "open", "after the send linked it")
    })
  },
  {
    name: "webhook: a duplicate delivery is acknowledged without running onEvent again",
    run: withReceiver(async ({ events, business }, emulator) => {
      await emulator.injectWebhookFault({ kind: "duplicate", copies: 3 })
      await emulator.receiveInbound({ from: CUSTOMER, to: business })
      const deliveries = await emulator.flushWebhooks()
      equal(deliveries.map((delivery) => delivery.status).join(","), "200,200,200", "answers to the three copies")
      equal(events.length, 1, "events")
    })
  },
  {
    name: "webhook: a bad signature is refused (401) and opens nothing",
    run: withReceiver(async ({ events, windows, business }, emulator) => {
      await emulator.injectWebhookFault({ kind: "bad-signature" })
      await emulator.receiveInbound({ from: CUSTOMER, to: business })
      const deliveries = await emulator.flushWebhooks()
      check(deliveries.length > 0 && deliveries.every((delivery) => delivery.status === 401), "every attempt is a 401")
      equal(events.length, 0, "events")
      equal((await windows.status({ from: business, to: CUSTOMER })).state, "unknown", "window")
    })
  },
  {
    name: "webhook: a re-serialised body verifies by OneRoute's own recipe",
    run: withReceiver(async ({ events, business }, emulator) => {
      await emulator.injectWebhookFault({ kind: "reserialized" })
      await emulator.receiveInbound({ from: CUSTOMER, to: business })
      const [delivery] = await emulator.flushWebhooks()
      equal(delivery?.status, 200, "the receiver's answer")
      equal(events.length, 1, "events")
    })
  }
]
