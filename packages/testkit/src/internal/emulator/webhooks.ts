/**
 * The emulator's signed webhooks: a `newMessage` event per inbound message, posted to the
 * configured receiver one event at a time, in order, with the queued or given delivery fault.
 * Each attempt is recorded; a receiver that does not answer 2xx is retried (bounded).
 */
import * as Redacted from "effect/Redacted"
import type { Clock } from "./clock.js"
import {
  MAX_QUEUED_FAULTS,
  MAX_WEBHOOK_DELIVERIES,
  WEBHOOK_RETRY_DELAY_MS,
  WEBHOOK_SIGNATURE_HEADER
} from "./constants.js"
import { EmulatorLimitError } from "./errors.js"
import { sleep } from "./http.js"
import { externalId } from "./ids.js"
import type { WebhookConfig, WebhookDelivery, WebhookFault } from "./types.js"
import { parseWebhookTarget, type WebhookTarget } from "./webhookConfig.js"

/** An inbound message to announce. */
export interface InboundEvent {
  readonly customer: string
  readonly business: string
  readonly conversationId: string
  readonly name: string
  readonly text: string
  readonly at: Date
}

export interface Webhooks {
  /** Set (or with `null`, remove) the receiver; throws TypeError on bad input. */
  configure(input: unknown): void
  config(): WebhookConfig | undefined
  /** Throws `EmulatorLimitError` when the deliveries recorded are at their bound (checked before anything changes). */
  checkRoom(): void
  /** Queue a checked fault for the next events; throws `EmulatorLimitError` when 100 wait. */
  inject(fault: WebhookFault): void
  /** Announce `event` (nothing when no receiver is configured); `fault` overrides the queue. */
  announce(event: InboundEvent, fault: WebhookFault | undefined): void
  deliveries(): ReadonlyArray<WebhookDelivery>
  /** Send the held events and wait until every event has been delivered (or given up). */
  flush(): Promise<ReadonlyArray<WebhookDelivery>>
  reset(): void
  shutdown(): void
}

/** The text of a `non-ascii` fault: accents, a combining mark, emoji (a ZWJ sequence), RTL, U+2028, a CJK character. */
export const NON_ASCII_TEXT = "Ñandú café e\u0301 👩‍👩‍👧 \u202eمرحبا\u202c \u2028 中文 ✓"

const encoder = new TextEncoder()

/** UTF-8 bytes, typed as Web Crypto and `fetch` take them. */
const utf8 = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(encoder.encode(text))

const hex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("")

const hmac = async (secret: string, bytes: Uint8Array<ArrayBuffer>): Promise<string> => {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-512" }, false, ["sign"])
  return hex(await crypto.subtle.sign("HMAC", key, bytes))
}

/** The payload as ONEROUTE-API.md shows it; `emulator` (the numbers) is the emulator's own field. */
const newMessage = (event: InboundEvent, text: string, includeNumbers: boolean) => {
  const iso = event.at.toISOString()
  return {
    event: "newMessage",
    message: {
      sender: { name: event.name, authUser: false, lastActivity: iso },
      externalId: externalId(),
      content: text,
      contentType: "TEXT",
      imageUrl: null,
      videoUrl: null,
      documentUrl: null,
      audioUrl: null,
      quoted_message_id: null,
      conversation_id: event.conversationId
    },
    conversation: {
      id: event.conversationId,
      subject: null,
      agent: null,
      customer: { name: event.name, email: null },
      lastMessageAt: iso
    },
    ...(includeNumbers ? { emulator: { customer: event.customer, business: event.business } } : {})
  }
}

/** Pretty-printed, non-ASCII and `/` escaped: other bytes, the same `JSON.stringify(JSON.parse(raw))`. */
const reserialize = (payload: unknown): string =>
  JSON.stringify(payload, null, 2)
    .replace(/[^\x20-\x7e\n]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replaceAll("/", "\\/")

/** The `x-oneroute-signature` of `signed`, or a wrong one (or none) under a `bad-signature` fault. */
const signatureFor = async (
  secret: string,
  signed: Uint8Array<ArrayBuffer>,
  fault: WebhookFault | undefined
): Promise<string | undefined> => {
  if (fault?.kind !== "bad-signature") return hmac(secret, signed)
  switch (fault.signature) {
    case "missing":
      return undefined
    case "malformed":
      return (await hmac(secret, signed)).slice(0, 64)
    default:
      // 128 hex digits, keyed with something other than the secret.
      return hmac(`${secret}\u0000other`, signed)
  }
}

/** The bytes to send and the headers (signature included, or not) for `event` under `fault`. */
const encode = async (
  event: InboundEvent,
  target: WebhookTarget,
  fault: WebhookFault | undefined
): Promise<{ readonly body: Uint8Array<ArrayBuffer>; readonly headers: Record<string, string> }> => {
  let text = fault?.kind === "non-ascii" ? NON_ASCII_TEXT : event.text
  if (fault?.kind === "oversize") {
    const size = utf8(JSON.stringify(newMessage(event, text, target.config.includeNumbers))).byteLength
    text = `${text} ${"x".repeat(Math.max(0, (fault.bytes ?? 0) - size - 1))}`
  }
  const payload = newMessage(event, text, target.config.includeNumbers)
  const signed = utf8(JSON.stringify(payload))
  const body = fault?.kind === "reserialized" ? utf8(reserialize(payload)) : signed
  const signature = await signatureFor(Redacted.value(target.secret), signed, fault)
  const headers: Record<string, string> = { "content-type": "application/json" }
  if (signature !== undefined) headers[WEBHOOK_SIGNATURE_HEADER] = signature
  return { body, headers }
}

export const createWebhooks = (options: {
  readonly clock: Clock
  readonly initial?: unknown
  /** The most attempts remembered (default {@link MAX_WEBHOOK_DELIVERIES}; a test reaches a small one for real). */
  readonly maxDeliveries?: number
}): Webhooks => {
  const { clock, maxDeliveries = MAX_WEBHOOK_DELIVERIES } = options
  let target = options.initial === undefined ? undefined : parseWebhookTarget(options.initial)
  const queue: Array<{ fault: WebhookFault; remaining: number }> = []
  const records: Array<WebhookDelivery> = []
  let held: Array<() => Promise<void>> = []
  let chain: Promise<void> = Promise.resolve()
  /** Aborted by `reset()`/`shutdown()`: what is in flight stops and records nothing more. */
  let generation = new AbortController()
  let closed = false

  const takeFault = (): WebhookFault | undefined => {
    const head = queue[0]
    if (head === undefined) return undefined
    head.remaining -= 1
    if (head.remaining <= 0) queue.shift()
    return head.fault
  }

  /** One attempt; the status, or why there is none. */
  const attempt = async (
    url: string,
    body: Uint8Array<ArrayBuffer>,
    headers: Record<string, string>,
    timeoutMs: number,
    signal: AbortSignal
  ): Promise<{ status: number } | { error: string }> => {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      })
      await response.body?.cancel().catch(() => undefined)
      return { status: response.status }
    } catch (error) {
      if (signal.aborted) return { error: "emulator reset" }
      if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        return { error: `no answer within ${timeoutMs} ms` }
      }
      return { error: error instanceof Error ? error.message : String(error) }
    }
  }

  const deliver = async (event: InboundEvent, fault: WebhookFault | undefined, signal: AbortSignal): Promise<void> => {
    const current = target
    if (current === undefined || signal.aborted) return
    const eventId = crypto.randomUUID()
    const { body, headers } = await encode(event, current, fault)
    if (fault?.kind === "delay") await sleep(fault.ms, signal)
    const copies = fault?.kind === "duplicate" ? (fault.copies ?? 2) : 1
    for (let copy = 1; copy <= copies; copy++) {
      for (let number = 1; number <= current.config.maxAttempts; number++) {
        if (signal.aborted) return
        const at = clock.now()
        const outcome = await attempt(current.config.url, body, headers, current.config.timeoutMs, signal)
        if (signal.aborted) return
        records.push(
          Object.freeze({
            eventId,
            event: "newMessage",
            conversationId: event.conversationId,
            copy,
            attempt: number,
            ...(fault === undefined ? {} : { fault: fault.kind }),
            ...outcome,
            bytes: body.byteLength,
            at
          })
        )
        if ("status" in outcome && outcome.status >= 200 && outcome.status < 300) break
        if (number < current.config.maxAttempts) await sleep(WEBHOOK_RETRY_DELAY_MS * number, signal)
      }
    }
  }

  /** Run `step` after everything queued before it; a failure never stops the events after it. */
  const enqueue = (step: () => Promise<void>): void => {
    chain = chain.then(step).catch(() => undefined)
  }

  const releaseHeld = (): void => {
    const release = held
    held = []
    for (const send of release) enqueue(send)
  }

  const stop = (): void => {
    generation.abort()
    generation = new AbortController()
    held = []
    queue.length = 0
    chain = Promise.resolve()
  }

  return {
    configure: (input) => {
      target = input === null ? undefined : parseWebhookTarget(input)
    },
    config: () => target?.config,
    checkRoom: () => {
      if (target !== undefined && records.length >= maxDeliveries) {
        throw new EmulatorLimitError(
          "webhook-deliveries",
          maxDeliveries,
          `at most ${maxDeliveries} webhook delivery attempts are remembered; reset() forgets them`
        )
      }
    },
    inject: (fault) => {
      if (queue.length >= MAX_QUEUED_FAULTS) {
        throw new EmulatorLimitError(
          "webhook-faults",
          MAX_QUEUED_FAULTS,
          `at most ${MAX_QUEUED_FAULTS} webhook faults can wait in the queue (use times: n to repeat one); reset() empties it`
        )
      }
      queue.push({ fault, remaining: fault.times ?? 1 })
    },
    announce: (event, given) => {
      if (closed || target === undefined) return
      const fault = given ?? takeFault()
      const signal = generation.signal
      const send = () => deliver(event, fault, signal)
      if (fault?.kind === "reorder") {
        held.push(send)
        return
      }
      enqueue(send)
      releaseHeld()
    },
    deliveries: () => Object.freeze([...records]),
    flush: async () => {
      releaseHeld()
      // Events announced while waiting extend the chain: wait until it stops growing.
      for (let last: Promise<void> | undefined; last !== chain; ) {
        last = chain
        await last
      }
      return Object.freeze([...records])
    },
    reset: () => {
      stop()
      records.length = 0
    },
    shutdown: () => {
      closed = true
      stop()
    }
  }
}
