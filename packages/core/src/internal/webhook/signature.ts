/**
 * OneRoute's webhook signature: `x-oneroute-signature` is the hex HMAC-SHA512 of the body, keyed
 * with the account's secret. Web Crypto only (Node 20, Deno and browsers have it), and the
 * comparison looks at every byte whatever the first difference, so its time says nothing about
 * how close a forged signature came.
 */
import * as Redacted from "effect/Redacted"
import { InvalidOptionsError } from "../../Errors.js"
import type { WebhookSecret } from "../../Webhook.js"

/** A signature is 64 bytes, written as 128 hex digits (either case). */
const SIGNATURE = /^[0-9a-fA-F]{128}$/

/** Bytes Web Crypto takes (a view of a plain `ArrayBuffer`). */
export type Bytes = Uint8Array<ArrayBuffer>

/** `text` as UTF-8. */
export const utf8 = (text: string): Bytes => new TextEncoder().encode(text)

/** Whether the header is missing, not a signature at all, or worth an HMAC. */
export const checkHeader = (header: string | null | undefined): "missing" | "malformed" | Bytes => {
  if (header === undefined || header === null || header === "") return "missing"
  if (!SIGNATURE.test(header)) return "malformed"
  const bytes = new Uint8Array(64)
  for (let index = 0; index < 64; index++) bytes[index] = Number.parseInt(header.slice(2 * index, 2 * index + 2), 16)
  return bytes
}

/**
 * The secrets' bytes, checked when a handler is made or a verification starts: an empty or
 * non-string secret is a programming error.
 */
export const secretBytes = (secret: WebhookSecret | ReadonlyArray<WebhookSecret>): ReadonlyArray<Bytes> => {
  const secrets: ReadonlyArray<unknown> = Array.isArray(secret) ? secret : [secret]
  if (secrets.length === 0) {
    throw new InvalidOptionsError({ option: "secret", problem: "must hold at least one secret" })
  }
  return secrets.map((each) => {
    const value = Redacted.isRedacted(each) ? Redacted.value(each) : each
    if (typeof value !== "string" || value === "") {
      throw new InvalidOptionsError({
        option: "secret",
        problem: "must be your OneRoute webhook secret: a non-empty string or a Redacted string (or an array of them)"
      })
    }
    return utf8(value)
  })
}

/** The secrets as Web Crypto HMAC-SHA512 keys, usable for signing only and not extractable. */
export const importKeys = (secrets: ReadonlyArray<Bytes>): Promise<Array<CryptoKey>> =>
  Promise.all(
    secrets.map((bytes) => crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-512" }, false, ["sign"]))
  )

/** Equal byte arrays of one length, compared in time that does not depend on where they differ. */
const equalBytes = (left: Uint8Array, right: Uint8Array): boolean => {
  if (left.length !== right.length) return false
  let difference = 0
  for (let index = 0; index < left.length; index++) difference |= (left[index] as number) ^ (right[index] as number)
  return difference === 0
}

/** Whether `signature` is the HMAC-SHA512 of `data` under any of `keys`. */
export const signedByAny = async (keys: ReadonlyArray<CryptoKey>, data: Bytes, signature: Bytes): Promise<boolean> => {
  for (const key of keys) {
    const expected = new Uint8Array(await crypto.subtle.sign("HMAC", key, data))
    if (equalBytes(expected, signature)) return true
  }
  return false
}
