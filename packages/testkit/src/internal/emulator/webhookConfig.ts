/** Checking what configures the emulator's webhooks: the receiver (URL, secret, options) and the delivery faults. */
import * as Redacted from "effect/Redacted"
import {
  DEFAULT_OVERSIZE_BYTES,
  DEFAULT_WEBHOOK_ATTEMPTS,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  MAX_OVERSIZE_BYTES,
  MAX_WEBHOOK_ATTEMPTS,
  MAX_WEBHOOK_COPIES,
  MAX_WEBHOOK_DELAY_MS,
  MAX_WEBHOOK_SECRET_LENGTH,
  MAX_WEBHOOK_TIMEOUT_MS,
  MAX_WEBHOOK_URL_LENGTH
} from "./constants.js"
import { show } from "./errors.js"
import type { WebhookConfig, WebhookFault } from "./types.js"

/** A checked receiver: where to post, and the secret to sign with (never shown). */
export interface WebhookTarget {
  readonly config: WebhookConfig
  readonly secret: Redacted.Redacted<string>
}

const onlyKeys = (raw: Record<string, unknown>, allowed: ReadonlyArray<string>, what: string): void => {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) throw new TypeError(`unknown property ${show(key)} for ${what}`)
  }
}

const asObject = (input: unknown, what: string): Record<string, unknown> => {
  if (typeof input !== "object" || input === null || Array.isArray(input) || Redacted.isRedacted(input)) {
    throw new TypeError(`${what} must be an object`)
  }
  return input as Record<string, unknown>
}

const whole = (value: unknown, what: string, min: number, max: number, fallback: number): number => {
  if (value === undefined) return fallback
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${what} must be a whole number from ${min} to ${max} (got ${show(value)})`)
  }
  return value
}

const flag = (value: unknown, what: string): boolean => {
  if (value === undefined) return false
  if (typeof value !== "boolean") throw new TypeError(`${what} must be a boolean (got ${show(value)})`)
  return value
}

/** `localhost`, `127.x.x.x` or `[::1]`: this machine. */
const isLoopbackHost = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

const checkUrl = (value: unknown, allowRemote: boolean): string => {
  let url: URL | undefined
  try {
    url = typeof value === "string" && value.length <= MAX_WEBHOOK_URL_LENGTH ? new URL(value) : undefined
  } catch {
    url = undefined
  }
  const shape = `webhook.url must be an http: or https: URL without credentials, at most ${MAX_WEBHOOK_URL_LENGTH} characters`
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new TypeError(`${shape} (got ${show(value)})`)
  }
  // Credentials may be a secret: never echoed.
  if (url.username || url.password) throw new TypeError(`${shape} (got one with credentials)`)
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new TypeError(
      `webhook.url must be on loopback (localhost, 127.0.0.1, [::1]): the emulator posts to this machine only unless allowRemote is true (got host ${show(url.hostname)})`
    )
  }
  return url.href
}

const checkSecret = (value: unknown): Redacted.Redacted<string> => {
  const secret = Redacted.isRedacted(value) ? Redacted.value(value) : value
  if (typeof secret !== "string" || secret.length === 0 || secret.length > MAX_WEBHOOK_SECRET_LENGTH) {
    // The value itself is never shown: it may be the secret.
    throw new TypeError(
      `webhook.secret must be a non-empty string (or Redacted string) of at most ${MAX_WEBHOOK_SECRET_LENGTH} characters`
    )
  }
  return Redacted.make(secret)
}

/** Check `{ url, secret, allowRemote?, includeNumbers?, timeoutMs?, maxAttempts? }`; throws TypeError. */
export const parseWebhookTarget = (input: unknown): WebhookTarget => {
  const raw = asObject(input, "webhook")
  onlyKeys(raw, ["url", "secret", "allowRemote", "includeNumbers", "timeoutMs", "maxAttempts"], "webhook")
  const allowRemote = flag(raw.allowRemote, "webhook.allowRemote")
  const config: WebhookConfig = Object.freeze({
    url: checkUrl(raw.url, allowRemote),
    allowRemote,
    includeNumbers: flag(raw.includeNumbers, "webhook.includeNumbers"),
    timeoutMs: whole(raw.timeoutMs, "webhook.timeoutMs", 1, MAX_WEBHOOK_TIMEOUT_MS, DEFAULT_WEBHOOK_TIMEOUT_MS),
    maxAttempts: whole(raw.maxAttempts, "webhook.maxAttempts", 1, MAX_WEBHOOK_ATTEMPTS, DEFAULT_WEBHOOK_ATTEMPTS)
  })
  return { config, secret: checkSecret(raw.secret) }
}

const FAULT_KEYS: Readonly<Record<WebhookFault["kind"], ReadonlyArray<string>>> = {
  duplicate: ["copies"],
  delay: ["ms"],
  reorder: [],
  "bad-signature": ["signature"],
  reserialized: [],
  "non-ascii": [],
  oversize: ["bytes"]
}

const SIGNATURE_FAULTS: ReadonlyArray<string> = ["mismatch", "missing", "malformed"]

/** Check a webhook fault (from code or JSON) and return a normalised copy; throws TypeError. */
export const parseWebhookFault = (input: unknown): WebhookFault => {
  const raw = asObject(input, "webhook fault")
  const kind = raw.kind
  if (typeof kind !== "string" || !Object.hasOwn(FAULT_KEYS, kind)) {
    throw new TypeError(`webhook fault kind must be one of ${Object.keys(FAULT_KEYS).join(", ")} (got ${show(kind)})`)
  }
  const k = kind as WebhookFault["kind"]
  onlyKeys(raw, ["kind", "times", ...FAULT_KEYS[k]], `a ${k} webhook fault`)
  const base = raw.times === undefined ? {} : { times: whole(raw.times, "webhook fault times", 1, 1_000_000, 1) }
  switch (k) {
    case "duplicate":
      return { kind: k, copies: whole(raw.copies, "duplicate: copies", 2, MAX_WEBHOOK_COPIES, 2), ...base }
    case "delay":
      if (raw.ms === undefined) throw new TypeError("delay: ms is required")
      return { kind: k, ms: whole(raw.ms, "delay: ms", 0, MAX_WEBHOOK_DELAY_MS, 0), ...base }
    case "bad-signature": {
      const signature = raw.signature ?? "mismatch"
      if (typeof signature !== "string" || !SIGNATURE_FAULTS.includes(signature)) {
        throw new TypeError(
          `bad-signature: signature must be one of ${SIGNATURE_FAULTS.join(", ")} (got ${show(signature)})`
        )
      }
      return { kind: k, signature: signature as "mismatch" | "missing" | "malformed", ...base }
    }
    case "oversize":
      return {
        kind: k,
        bytes: whole(raw.bytes, "oversize: bytes", 1, MAX_OVERSIZE_BYTES, DEFAULT_OVERSIZE_BYTES),
        ...base
      }
    case "reorder":
    case "reserialized":
    case "non-ascii":
      return { kind: k, ...base }
  }
}
