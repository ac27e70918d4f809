import { InvalidOptionsError } from "../../Errors.js"
import type { StoredAnswer } from "../../IdempotencyStore.js"
import {
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookConnection,
  type WebhookEvent,
  type WebhookHandler,
  type WebhookHandlerOptions,
  WebhookPayloadError,
  WebhookSignatureError
} from "../../Webhook.js"
import { fingerprint } from "../relay/body.js"
import { readBytesLimited } from "../requestBody.js"
import { checkAllowedIps, checkTrustProxy, senderAddress } from "./address.js"
import { decodeWebhookEvent } from "./event.js"
import { importKeys, secretBytes } from "./signature.js"
import { verifyDelivery } from "./verify.js"

/** The default body limit: OneRoute's documented event is well under 10 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/** How long OneRoute is asked to wait before retrying a delivery the store could not place. */
const RETRY_AFTER_SECONDS = 5

/** What the store keeps for a handled delivery (an answer with no body). */
const HANDLED: StoredAnswer = { status: 200, headers: {}, body: "" }

const answer = (status: number, text: string, headers: Record<string, string> = {}): Response =>
  new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } })

const busy = (text: string) => answer(503, text, { "retry-after": String(RETRY_AFTER_SECONDS) })

const isFunction = (value: unknown): boolean => typeof value === "function"

/** Checks the options once, when the handler is made. */
const checkOptions = (options: WebhookHandlerOptions) => {
  if (typeof options !== "object" || options === null || !isFunction(options.onEvent)) {
    throw new InvalidOptionsError({
      option: "onEvent",
      problem: "is required: a function (event) => void | Promise<void>"
    })
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new InvalidOptionsError({ option: "maxBodyBytes", problem: "must be a positive whole number of bytes" })
  }
  if (options.now !== undefined && !isFunction(options.now)) {
    throw new InvalidOptionsError({
      option: "now",
      problem: "must be a function returning milliseconds since the epoch"
    })
  }
  if (options.windows !== undefined && !isFunction(options.windows?.recordInbound)) {
    throw new InvalidOptionsError({ option: "windows", problem: "must have a recordInbound(record) method" })
  }
  const { deliveries } = options
  if (
    deliveries !== undefined &&
    !["reserve", "complete", "release"].every((name) => isFunction(deliveries?.[name as "reserve"]))
  ) {
    throw new InvalidOptionsError({
      option: "deliveries",
      problem: "must be an IdempotencyStore (reserve, complete, release)"
    })
  }
  return {
    secrets: secretBytes(options.secret),
    maxBodyBytes,
    allowedIps: checkAllowedIps(options.allowedIps),
    proxy: checkTrustProxy(options.trustProxy),
    onError:
      options.onError ??
      ((error: unknown, during: "windows" | "onEvent") =>
        console.error(`@oneroute/core: the webhook handler's ${during} failed`, error))
  }
}

export const makeWebhookHandler = (options: WebhookHandlerOptions): WebhookHandler => {
  const { secrets, maxBodyBytes, allowedIps, proxy, onError } = checkOptions(options)
  const { onEvent, windows } = options
  const now = options.now ?? Date.now
  const keys = importKeys(secrets)
  keys.catch(() => {})
  // The store's Effect runner (and the default memory store) load with the first verified delivery.
  const stores = import("./deliveries.js").then((runner) => ({
    runner,
    store: options.deliveries ?? runner.memoryDeliveries()
  }))
  stores.catch(() => {})

  /** Tells the window tracker of a customer's message; a failure leaves the window unknown. */
  const recordWindow = async (event: WebhookEvent): Promise<void> => {
    if (windows === undefined || event._tag !== "NewMessage" || event.direction !== "inbound") return
    const { conversationId, occurredAt, receivedAt } = event
    // Without the event's own time a late or replayed delivery would look new: leave the window unknown.
    if (conversationId === undefined || occurredAt === undefined) return
    const at = new Date(Math.min(occurredAt.getTime(), receivedAt.getTime()))
    try {
      await windows.recordInbound({ conversationId, at })
    } catch (error) {
      onError(error, "windows")
    }
  }

  /** Runs the event once per delivery: a repeat of a handled one is acknowledged without it. */
  const handleOnce = async (canonical: string, event: WebhookEvent): Promise<Response> => {
    const digest = await fingerprint(canonical)
    const { runner, store } = await stores
    const reservation = await runner.reserve(store, `oneroute-webhook:${digest}`, digest)
    switch (reservation?._tag) {
      case "Answered":
        return answer(200, "already received")
      case "InFlight":
        return busy("this delivery is being handled; retry later")
      case "Reserved": {
        await recordWindow(event)
        try {
          await onEvent(event)
        } catch (error) {
          onError(error, "onEvent")
          await runner.finish(store, `oneroute-webhook:${digest}`, reservation.token, {
            answer: HANDLED,
            sentNothing: true
          })
          return answer(500, "the receiver failed to handle the event; retry later")
        }
        await runner.finish(store, `oneroute-webhook:${digest}`, reservation.token, {
          answer: HANDLED,
          sentNothing: false
        })
        return answer(200, "received")
      }
      default:
        // Full, unreachable, or a key that holds another body: the store cannot tell whether it is new.
        return busy("the receiver cannot record deliveries right now; retry later")
    }
  }

  return async (request: Request, connection?: WebhookConnection): Promise<Response> => {
    if (request.method !== "POST") return answer(405, "POST only", { allow: "POST" })
    if (allowedIps !== undefined) {
      const address = senderAddress(request, connection, proxy)
      if (address === undefined || !allowedIps.has(address)) return answer(403, "this address may not deliver webhooks")
    }
    let body: Uint8Array | undefined
    try {
      body = await readBytesLimited(request, maxBodyBytes)
    } catch {
      return answer(400, "the body could not be read")
    }
    if (body === undefined) return answer(413, `the body must not exceed ${maxBodyBytes} bytes`)
    let delivery: Awaited<ReturnType<typeof verifyDelivery>>
    try {
      delivery = await verifyDelivery(await keys, body, request.headers.get(WEBHOOK_SIGNATURE_HEADER))
    } catch (error) {
      if (error instanceof WebhookSignatureError) return answer(401, "invalid signature")
      if (error instanceof WebhookPayloadError) return answer(400, "the body is not a JSON object")
      throw error
    }
    return handleOnce(delivery.canonical, decodeWebhookEvent(delivery.payload, new Date(now())))
  }
}
