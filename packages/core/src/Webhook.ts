/**
 * OneRoute's webhooks: `verifyWebhook` checks a delivery's `x-oneroute-signature` and decodes
 * its event, `webhookHandler` is a web-standard receiver (`(Request) => Promise<Response>`) that
 * also limits the body, acknowledges repeat deliveries without running your code again and can
 * feed a conversation-window tracker. Web Crypto only: the same code runs on Node, Deno and in
 * browsers. The Effect version of `verifyWebhook` is `Webhook.verifyWebhook` in
 * `@oneroute/core/effect`.
 *
 * OneRoute leaves much of its webhooks undocumented (retries, ordering, duplicates, most event
 * shapes); docs/guides/webhooks.md lists each gap and the choice made for it.
 *
 * @since 0.4.0
 */
import type * as Redacted from "effect/Redacted"
import type { IdempotencyStore } from "./IdempotencyStore.js"
import { TaggedError } from "./internal/taggedError.js"
import * as handler from "./internal/webhook/handler.js"
import * as verify from "./internal/webhook/verify.js"

/**
 * The header OneRoute signs its deliveries with.
 *
 * @since 0.4.0
 */
export const WEBHOOK_SIGNATURE_HEADER = "x-oneroute-signature"

/**
 * The addresses OneRoute documents its deliveries come from, for `webhookHandler`'s `allowedIps`.
 *
 * @since 0.4.0
 */
export const ONEROUTE_WEBHOOK_IPS: ReadonlyArray<string> = ["174.138.104.128"]

/**
 * The account's "OneRoute Secret Key", as a string or `Redacted`.
 *
 * @since 0.4.0
 */
export type WebhookSecret = string | Redacted.Redacted<string>

/**
 * Why a delivery's signature was refused:
 * - `"missing"`: no `x-oneroute-signature` header (or an empty one);
 * - `"malformed"`: the header is not 128 hex digits, so no HMAC was computed;
 * - `"mismatch"`: no secret signs the body, neither its raw bytes nor `JSON.stringify` of its
 *   parsed JSON (OneRoute's own recipe).
 *
 * @since 0.4.0
 */
export type WebhookSignatureReason = "missing" | "malformed" | "mismatch"

/**
 * The delivery is not signed by any of your secrets: it did not come from OneRoute, or the
 * secret is wrong. Nothing in it was read.
 *
 * @since 0.4.0
 */
export class WebhookSignatureError extends TaggedError("WebhookSignatureError")<{
  /** Why the signature was refused. */
  readonly reason: WebhookSignatureReason
}> {
  /** Why the signature was refused, and to refuse the delivery. */
  override get message(): string {
    return {
      missing: "The webhook has no x-oneroute-signature header: it did not come from OneRoute. Refuse it.",
      malformed: "The webhook's x-oneroute-signature is not 128 hex digits: it did not come from OneRoute. Refuse it.",
      mismatch:
        "The webhook's signature does not match: refuse it. If every delivery fails, check that the secret is the account's OneRoute Secret Key and that your framework hands over the body as it arrived."
    }[this.reason]
  }
}

/**
 * Why a signed delivery's body could not be read: not JSON (`"not-json"`), JSON nested more than
 * 64 levels deep (`"too-deep"`), or JSON that is not an object (`"not-object"`).
 *
 * @since 0.4.0
 */
export type WebhookPayloadReason = "not-json" | "too-deep" | "not-object"

/**
 * A correctly signed delivery whose body is not a JSON object the SDK can read.
 *
 * @since 0.4.0
 */
export class WebhookPayloadError extends TaggedError("WebhookPayloadError")<{
  /** What is wrong with the body. */
  readonly reason: WebhookPayloadReason
}> {
  /** What is wrong with the body. */
  override get message(): string {
    const problem = {
      "not-json": "is not JSON",
      "too-deep": "nests arrays and objects more than 64 levels deep",
      "not-object": "is JSON but not an object"
    }[this.reason]
    return `The webhook is signed but its body ${problem}, so it cannot be read as an event.`
  }
}

/**
 * Who wrote a message: the customer (`"inbound"`, `sender.authUser` false), your side
 * (`"outbound"`, an agent or an API send; `authUser` true), or `"unknown"` when the payload does
 * not say.
 *
 * @since 0.4.0
 */
export type MessageDirection = "inbound" | "outbound" | "unknown"

/**
 * A `newMessage` event. Every field is read leniently: one the payload lacks or gives with another
 * type is `undefined`. Strings are cut (content to 16,384 characters, URLs to 2,048, the rest to
 * 256).
 *
 * @since 0.4.0
 */
export interface NewMessage {
  /** A `newMessage` event. */
  readonly _tag: "NewMessage"
  /** Who wrote it, from `message.sender.authUser`. */
  readonly direction: MessageDirection
  /** `message.conversation_id` (else `conversation.id`): what a session send's answer also returns. */
  readonly conversationId: string | undefined
  /** The text (or caption). */
  readonly content: string | undefined
  /** `"TEXT"`, `"IMAGE"`, … as OneRoute writes it. */
  readonly contentType: string | undefined
  /** The media's URLs, when the message carries them. */
  readonly imageUrl: string | undefined
  /** The video's URL, when the message carries one. */
  readonly videoUrl: string | undefined
  /** The document's URL, when the message carries one. */
  readonly documentUrl: string | undefined
  /** The audio's URL, when the message carries one. */
  readonly audioUrl: string | undefined
  /** `message.sender.name`. */
  readonly senderName: string | undefined
  /** `message.externalId`. */
  readonly externalId: string | undefined
  /** `message.quoted_message_id`: the message this one replies to. */
  readonly quotedMessageId: string | undefined
  /**
   * The event's own time, the best the payload offers: `conversation.lastMessageAt`, else
   * `message.sender.lastActivity`; `undefined` when neither is a date. (OneRoute's payload has
   * no message timestamp.)
   */
  readonly occurredAt: Date | undefined
  /** When this receiver decoded the delivery. */
  readonly receivedAt: Date
  /** The whole parsed body, for fields this version does not read. */
  readonly payload: { readonly [key: string]: unknown }
}

/**
 * An `smsDeliveryReport` event: the fields of its `conversation`, read leniently.
 *
 * @since 0.4.0
 */
export interface SmsDeliveryReport {
  /** An `smsDeliveryReport` event. */
  readonly _tag: "SmsDeliveryReport"
  /** `conversation.id`. */
  readonly id: string | undefined
  /** `conversation.externalId`. */
  readonly externalId: string | undefined
  /** The delivery status, as OneRoute writes it. */
  readonly status: string | undefined
  /** Why it failed, when it did (cut to 500 characters). */
  readonly reason: string | undefined
  /** The sender and the recipient, as OneRoute writes them. */
  readonly from: string | undefined
  /** The recipient, as OneRoute writes it. */
  readonly to: string | undefined
  /** How many SMS units it took (a number, or a numeric string). */
  readonly units: number | undefined
  /** `conversation.delivered_time`. */
  readonly deliveredAt: Date | undefined
  /** `conversation.createdAt`. */
  readonly createdAt: Date | undefined
  /** When this receiver decoded the delivery. */
  readonly receivedAt: Date
  /** The whole parsed body. */
  readonly payload: { readonly [key: string]: unknown }
}

/**
 * Any other event (campaign completion among them: its shape is not documented), kept whole.
 *
 * @since 0.4.0
 */
export interface UnknownEvent {
  /** An event this version does not read (its payload is kept whole). */
  readonly _tag: "UnknownEvent"
  /** The payload's `event`, when it is a string (cut to 256 characters). */
  readonly event: string | undefined
  /** When this receiver decoded the delivery. */
  readonly receivedAt: Date
  /** The whole parsed body. */
  readonly payload: { readonly [key: string]: unknown }
}

/**
 * A verified delivery's event. Switch on `_tag` and keep a `default` branch: events the SDK learns
 * to read later move out of `UnknownEvent`.
 *
 * @since 0.4.0
 */
export type WebhookEvent = NewMessage | SmsDeliveryReport | UnknownEvent

/**
 * What `verifyWebhook` checks.
 *
 * @since 0.4.0
 */
export interface VerifyWebhookInput {
  /** The body exactly as it arrived: a string, or bytes. Not a parsed object. */
  readonly body: string | Uint8Array | ArrayBuffer
  /** The `x-oneroute-signature` header's value. */
  readonly signature: string | null | undefined
  /** Your secret, or several while you rotate it (any one that matches verifies). */
  readonly secret: WebhookSecret | ReadonlyArray<WebhookSecret>
}

/**
 * Checks a delivery's signature and decodes its event. Rejects with `WebhookSignatureError`
 * (checked first: an unsigned body is never parsed) or `WebhookPayloadError`; an empty secret
 * throws `InvalidOptionsError`.
 *
 * @example
 * ```ts
 * import { verifyWebhook } from "@oneroute/node"
 *
 * export const receive = async (request: Request): Promise<Response> => {
 *   const event = await verifyWebhook({
 *     body: await request.text(),
 *     signature: request.headers.get("x-oneroute-signature"),
 *     secret: process.env.ONEROUTE_WEBHOOK_SECRET ?? ""
 *   }).catch(() => undefined)
 *   if (event === undefined) return new Response(null, { status: 401 })
 *   if (event._tag === "NewMessage") console.log(event.direction, event.content)
 *   return new Response(null, { status: 200 })
 * }
 * ```
 *
 * @since 0.4.0
 */
export const verifyWebhook = (input: VerifyWebhookInput): Promise<WebhookEvent> => verify.verifyWebhook(input)

/**
 * A conversation-window tracker, as `webhookHandler` feeds it (`createWindowTracker` makes one).
 *
 * @since 0.4.0
 */
export interface WebhookWindows {
  /** Records that the customer wrote at `at` (never later than the delivery's receipt). */
  readonly recordInbound: (record: {
    readonly conversationId?: string
    readonly from?: string
    readonly to?: string
    readonly at: Date
  }) => Promise<void>
}

/**
 * Which forwarded header names the client's address, and how many proxies of yours add to it.
 *
 * @since 0.4.0
 */
export interface TrustedProxy {
  /** Default `"x-forwarded-for"`. Trust only the one your proxy overwrites or appends to. */
  readonly header?: "x-forwarded-for" | "forwarded"
  /**
   * How many proxies of yours stand in front, each appending the address it saw. The address
   * used is this many from the end of the list (entries before it may be forged). Default 1.
   */
  readonly hops?: number
}

/**
 * What `webhookHandler` does.
 *
 * @since 0.4.0
 */
export interface WebhookHandlerOptions {
  /** Your secret, or several while you rotate it. */
  readonly secret: WebhookSecret | ReadonlyArray<WebhookSecret>
  /**
   * Runs once per verified delivery. A throw (or rejection) answers 500 and forgets the delivery,
   * so a retry from OneRoute runs it again; a repeat of a delivery it finished is answered 200
   * without calling it.
   */
  readonly onEvent: (event: WebhookEvent) => void | Promise<void>
  /**
   * Told of each inbound `NewMessage` that has a conversation id and a time, before `onEvent`
   * runs. If it fails the delivery still succeeds (the window stays unknown) and `onError` is told.
   */
  readonly windows?: WebhookWindows
  /**
   * Where deliveries are remembered, keyed by a digest of the signed content. Keep them longer than
   * a conversation window: at least 25 hours (`makeRedisStore({ redis, ttl: "25 hours" })`).
   * Default: this process's memory, 25 hours, at most 32 MiB (about 60,000 deliveries); when it is
   * full or unreachable deliveries are answered 503 and not run.
   */
  readonly deliveries?: IdempotencyStore
  /** The largest body read, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number
  /**
   * Addresses deliveries may come from (IPv4 or IPv6; `ONEROUTE_WEBHOOK_IPS` holds the documented
   * one). Others are answered 403 before the body is read. Default: any address. The address is
   * the handler's second argument (`{ remoteAddr: { hostname } }`, what `Deno.serve` and
   * `toNodeListener` pass), or a forwarded header when `trustProxy` says so; with neither, 403.
   */
  readonly allowedIps?: ReadonlyArray<string>
  /**
   * Read the client's address from a forwarded header your proxy sets: `true` for one proxy and
   * `X-Forwarded-For`, or a {@link TrustedProxy}. Default `false`: forwarded headers are ignored.
   */
  readonly trustProxy?: boolean | TrustedProxy
  /** Told when `windows` or `onEvent` fails. Default: `console.error`. */
  readonly onError?: (error: unknown, during: "windows" | "onEvent") => void
  /**
   * The clock of `receivedAt` (what an event's time is clamped to), in milliseconds since the
   * epoch: the window tracker's clock, if it has its own. Default `Date.now`.
   *
   * @since 0.4.0
   */
  readonly now?: () => number
}

/**
 * How the request reached the server, as `Deno.serve` describes it to its handler.
 *
 * @since 0.4.0
 */
export interface WebhookConnection {
  /** The peer's address. */
  readonly remoteAddr?: { readonly hostname?: string | undefined } | undefined
}

/**
 * A webhook receiver. Answers 405 to anything but POST, 403 to an address outside `allowedIps`,
 * 413 to a body over `maxBodyBytes` (never read past the limit), 401 to a bad signature, 400 to a
 * body that is not a JSON object, 200 once `onEvent` succeeded (or for a delivery it already
 * handled), 500 when `onEvent` failed, 503 when the delivery store cannot tell whether the
 * delivery is new (or it is being handled right now).
 *
 * @since 0.4.0
 */
export type WebhookHandler = (request: Request, connection?: WebhookConnection) => Promise<Response>

/**
 * Makes a webhook receiver. Throws `InvalidOptionsError` for unusable options.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http"
 * import { toNodeListener, webhookHandler } from "@oneroute/node"
 *
 * const receive = webhookHandler({
 *   secret: process.env.ONEROUTE_WEBHOOK_SECRET ?? "",
 *   onEvent: (event) => {
 *     if (event._tag === "NewMessage" && event.direction === "inbound") console.log(event.content)
 *   }
 * })
 * createServer(toNodeListener(receive)).listen(8080)
 * ```
 *
 * @since 0.4.0
 */
export const webhookHandler = (options: WebhookHandlerOptions): WebhookHandler => handler.makeWebhookHandler(options)
