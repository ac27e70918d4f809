/**
 * A delivery checked, then read. The signature comes first: an unsigned body is hashed but never
 * parsed beyond what OneRoute's recipe needs, and no reader of its content runs.
 */
import {
  type VerifyWebhookInput,
  type WebhookEvent,
  WebhookPayloadError,
  WebhookSignatureError
} from "../../Webhook.js"
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../answer/json.js"
import { isObject } from "../isObject.js"
import { decodeWebhookEvent } from "./event.js"
import { type Bytes, checkHeader, importKeys, secretBytes, signedByAny, utf8 } from "./signature.js"

/** A delivery whose signature holds: the payload and the text that was signed, in OneRoute's recipe. */
export interface VerifiedDelivery {
  readonly payload: { readonly [key: string]: unknown }
  /** `JSON.stringify` of the parsed body: the same for every serialisation of one event. */
  readonly canonical: string
}

type Parsed = { readonly json: unknown; readonly canonical: string } | WebhookPayloadError

const parse = (text: string): Parsed => {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return new WebhookPayloadError({ reason: "too-deep" })
  try {
    const json: unknown = JSON.parse(text)
    return { json, canonical: JSON.stringify(json) }
  } catch {
    return new WebhookPayloadError({ reason: "not-json" })
  }
}

/** The body's bytes; a view of anything but a plain `ArrayBuffer` (a `SharedArrayBuffer`) is copied. */
const bytesOf = (body: VerifyWebhookInput["body"]): Bytes => {
  if (typeof body === "string") return utf8(body)
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  return body.buffer instanceof ArrayBuffer ? (body as Bytes) : new Uint8Array(body)
}

/**
 * Checks the signature over the raw bytes, then over `JSON.stringify(JSON.parse(body))`; throws
 * `WebhookSignatureError` or `WebhookPayloadError`.
 */
export const verifyDelivery = async (
  keys: ReadonlyArray<CryptoKey>,
  body: VerifyWebhookInput["body"],
  signature: VerifyWebhookInput["signature"]
): Promise<VerifiedDelivery> => {
  const expected = checkHeader(signature)
  if (typeof expected === "string") throw new WebhookSignatureError({ reason: expected })
  const bytes = bytesOf(body)
  const rawSigned = await signedByAny(keys, bytes, expected)
  const text = typeof body === "string" ? body : new TextDecoder().decode(bytes)
  const parsed = parse(text)
  const signed =
    rawSigned ||
    (!(parsed instanceof WebhookPayloadError) &&
      parsed.canonical !== text &&
      (await signedByAny(keys, utf8(parsed.canonical), expected)))
  if (!signed) throw new WebhookSignatureError({ reason: "mismatch" })
  if (parsed instanceof WebhookPayloadError) throw parsed
  if (!isObject(parsed.json)) throw new WebhookPayloadError({ reason: "not-object" })
  return { payload: parsed.json, canonical: parsed.canonical }
}

export const verifyWebhook = async ({ body, signature, secret }: VerifyWebhookInput): Promise<WebhookEvent> => {
  const keys = await importKeys(secretBytes(secret))
  const { payload } = await verifyDelivery(keys, body, signature)
  return decodeWebhookEvent(payload, new Date())
}
