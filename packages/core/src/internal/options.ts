import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { InvalidOptionsError } from "../Errors.js"
import type { OneRouteOptions, RelayOptions, RequestHeaders } from "../Options.js"

export const DEFAULT_BASE_URL = "https://api.oneroute.io"
/** See `SendPolicy.maxResponseBytes`. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024
/** See `SendPolicy.timeout`. */
export const DEFAULT_TIMEOUT = Duration.seconds(30)

/** The longest delay a timer keeps: 2^31 − 1 ms. Every duration the SDK waits on is at most this. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** Options with every default applied and every value checked. */
export interface ResolvedOptions {
  /** Absent in relay mode: the relay adds the key. */
  readonly apiKey: Redacted.Redacted<string> | undefined
  /** What endpoints' paths resolve against (OneRoute's `baseUrl`, or `relayUrl`), ending with `/`. */
  readonly baseUrl: string
  readonly timeout: Duration.Duration
  readonly retry: ResolvedRetry
  /** Absent where the runtime sets its own (browsers); not sent then. */
  readonly userAgent: string | undefined
  /** The most body bytes read from an answer. */
  readonly maxResponseBytes: number
  /** Relay mode only: the caller's extra headers (checked: a record of strings, or a function). */
  readonly headers: RequestHeaders | undefined
}

export interface ResolvedRetry {
  readonly times: number
  readonly baseDelay: Duration.Duration
  readonly maxDelay: Duration.Duration
  readonly retryUnknownOutcome: boolean
}

const isLoopback = (hostname: string) =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname)

const invalid = (option: string, problem: string) => Either.left(new InvalidOptionsError({ option, problem }))

/** Parses an absolute URL that must be https, or plain http on a loopback host. */
const secureUrl = (option: string, input: string | URL): Either.Either<URL, InvalidOptionsError> => {
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return invalid(option, `${JSON.stringify(String(input))} is not an absolute URL`)
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    const origin = url.origin === "null" ? url.protocol : url.origin
    return invalid(option, `must use https (plain http is allowed only for loopback hosts), got ${origin}`)
  }
  return Either.right(url)
}

/**
 * A base URL that endpoint paths resolve under: a path prefix (a proxy or relay mounted under
 * `/oneroute`) is kept by ending it with `/`; query and fragment are dropped.
 */
const resolveBase = (option: string, input: string | URL): Either.Either<string, InvalidOptionsError> =>
  Either.map(secureUrl(option, input), (url) => {
    if (!url.pathname.endsWith("/")) url.pathname += "/"
    url.search = ""
    url.hash = ""
    return url.toString()
  })

/**
 * Parses a duration given as milliseconds (a number, or a string of digits such as `"5000"` from
 * the environment) or as an Effect `DurationInput` (`"5 seconds"`, a `Duration`). It must be
 * finite, and positive (or, with `allowZero`, not negative).
 */
const parseDuration = (
  option: string,
  input: Duration.DurationInput | string,
  allowZero = false
): Either.Either<Duration.Duration, InvalidOptionsError> => {
  const asNumber = typeof input === "string" && /^\d+(\.\d+)?$/.test(input.trim()) ? Number(input) : input
  const range = allowZero ? "finite number ≥ 0" : "positive, finite number"
  // Effect turns a negative or NaN number into a zero duration: refuse it here instead.
  if (typeof asNumber === "number" && !(asNumber >= 0)) return invalid(option, `must be a ${range} of milliseconds`)
  return Option.match(Duration.decodeUnknown(asNumber), {
    onNone: () =>
      invalid(option, `${JSON.stringify(String(input)).slice(0, 60)} is not a duration (use milliseconds, e.g. 5000)`),
    onSome: (duration) => {
      const millis = Duration.toMillis(duration)
      if (!Duration.isFinite(duration) || !(allowZero ? millis >= 0 : millis > 0)) {
        return invalid(option, `must be a ${range} of milliseconds`)
      }
      // Every runtime fires a timer above 2^31 − 1 ms at once: "25 days" would time out every send.
      return millis <= MAX_TIMER_MS
        ? Either.right(duration)
        : invalid(
            option,
            `must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer JavaScript runtimes keep`
          )
    }
  })
}

/** Parses a timeout given as milliseconds (`5000`, `"5000"`) or as an Effect duration (`"5 seconds"`). */
export const parseTimeout = (
  input: Duration.DurationInput | string,
  option = "timeout"
): Either.Either<Duration.Duration, InvalidOptionsError> => parseDuration(option, input)

const resolveRetry = (retry: OneRouteOptions["retry"]): Either.Either<ResolvedRetry, InvalidOptionsError> =>
  Either.gen(function* () {
    if (retry === false) return { ...defaultRetry, times: 0 }
    // `true` (not in the type, but plain JavaScript may say so) means the default policy.
    if ((retry as unknown) === true) return defaultRetry
    if (retry !== undefined && (typeof retry !== "object" || retry === null)) {
      return yield* invalid("retry", "must be false or an object such as { times: 2, baseDelay: 250 }")
    }
    const times = retry?.times ?? defaultRetry.times
    if (!Number.isInteger(times) || times < 0) return yield* invalid("retry.times", "must be a whole number ≥ 0")
    return {
      times,
      baseDelay:
        retry?.baseDelay === undefined
          ? defaultRetry.baseDelay
          : yield* parseDuration("retry.baseDelay", retry.baseDelay, true),
      maxDelay:
        retry?.maxDelay === undefined
          ? defaultRetry.maxDelay
          : yield* parseDuration("retry.maxDelay", retry.maxDelay, true),
      retryUnknownOutcome: retry?.retryUnknownOutcome ?? false
    }
  })

const defaultRetry: ResolvedRetry = {
  times: 2,
  baseDelay: Duration.millis(250),
  maxDelay: Duration.seconds(30),
  retryUnknownOutcome: false
}

const resolveMaxResponseBytes = (input: unknown): Either.Either<number, InvalidOptionsError> =>
  input === undefined
    ? Either.right(DEFAULT_MAX_RESPONSE_BYTES)
    : typeof input === "number" && Number.isSafeInteger(input) && input > 0
      ? Either.right(input)
      : invalid("maxResponseBytes", `must be a positive whole number of bytes, got ${String(input).slice(0, 40)}`)

/** A record of string values, or a function (whose results are checked at each send). */
const resolveHeaders = (input: unknown): Either.Either<RequestHeaders | undefined, InvalidOptionsError> => {
  if (input === undefined || typeof input === "function") return Either.right(input as RequestHeaders | undefined)
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return invalid("headers", "must be a record of header names to string values, or a function returning one")
  }
  for (const [name, value] of Object.entries(input)) {
    if (typeof value !== "string") {
      return invalid(`headers.${name.slice(0, 40)}`, `must be a string, got ${typeof value}`)
    }
  }
  return Either.right(input as RequestHeaders)
}

const describeCharacter = (char: string): string => {
  switch (char) {
    case "\n":
      return "a newline"
    case "\r":
      return "a carriage return"
    case "\t":
      return "a tab"
    case " ":
      return "a space"
    default: {
      const code = char.codePointAt(0) ?? 0
      const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`
      return code < 0x20 || code === 0x7f ? `a control character (${hex})` : `the character ${hex}`
    }
  }
}

/**
 * Why a non-blank key cannot be sent as the `apiKey` header, or `undefined` when it can. Only
 * printable ASCII travels in that header: a key read from a secrets file with its trailing
 * newline would fail every send inside the transport (as an ambiguous network error, with no
 * request made). The text names the character and where it is, never the key.
 */
export const apiKeyProblem = (key: string): string | undefined => {
  const first = key[0] ?? ""
  const last = key[key.length - 1] ?? ""
  if (/\s/.test(last)) {
    return `ends with ${describeCharacter(last)} (as when read from a file): trim it, e.g. readFileSync(path, "utf8").trim()`
  }
  if (/\s/.test(first)) return `starts with ${describeCharacter(first)}: trim it`
  const index = key.search(/[^\x21-\x7e]/)
  if (index >= 0) {
    const char = String.fromCodePoint(key.codePointAt(index) ?? 0)
    return (
      `contains ${describeCharacter(char)} at position ${index + 1} of ${key.length}: an API key is printable ` +
      "ASCII without spaces; copy it again from the OneRoute dashboard"
    )
  }
  return undefined
}

const isRelay = (options: OneRouteOptions | RelayOptions): options is RelayOptions => "relayUrl" in options

/** Applies defaults and checks every option; the one place options are validated. */
export const resolveOptions = (
  options: OneRouteOptions | RelayOptions
): Either.Either<ResolvedOptions, InvalidOptionsError> =>
  Either.gen(function* () {
    const shared = {
      timeout: options.timeout === undefined ? DEFAULT_TIMEOUT : yield* parseTimeout(options.timeout),
      retry: yield* resolveRetry(options.retry),
      userAgent: options.userAgent,
      maxResponseBytes: yield* resolveMaxResponseBytes(options.maxResponseBytes)
    }
    if (isRelay(options)) {
      if ("apiKey" in options && options.apiKey !== undefined) {
        return yield* invalid("apiKey", "must not be combined with relayUrl: in relay mode your backend adds the key")
      }
      const baseUrl = yield* resolveBase("relayUrl", options.relayUrl)
      const headers = yield* resolveHeaders(options.headers)
      return { ...shared, apiKey: undefined, baseUrl, headers }
    }
    const apiKey = typeof options.apiKey === "string" ? Redacted.make(options.apiKey) : options.apiKey
    if (
      !Redacted.isRedacted(apiKey) ||
      typeof Redacted.value(apiKey) !== "string" ||
      Redacted.value(apiKey).trim() === ""
    ) {
      return yield* invalid("apiKey", "is required: pass { apiKey } or set ONEROUTE_API_KEY")
    }
    const keyProblem = apiKeyProblem(Redacted.value(apiKey))
    if (keyProblem !== undefined) return yield* invalid("apiKey", keyProblem)
    return {
      ...shared,
      apiKey,
      baseUrl: yield* resolveBase("baseUrl", options.baseUrl ?? DEFAULT_BASE_URL),
      headers: undefined
    }
  })

/** Environment variable names, for runtimes that have an environment. */
export const ENV = {
  apiKey: "ONEROUTE_API_KEY",
  baseUrl: "ONEROUTE_BASE_URL",
  timeout: "ONEROUTE_TIMEOUT"
} as const

/**
 * Fills options the caller left out from an environment: the one place the `ONEROUTE_*`
 * variables are read (`createClient()` on Node and Deno, and `config` below). Defaults are
 * `resolveOptions`'s, not set here; a missing key stays blank so that `resolveOptions` says
 * how to provide one.
 */
export const withEnvironment = (
  options: Partial<OneRouteOptions>,
  getEnv: (name: string) => string | undefined
): OneRouteOptions => {
  const filled: { -readonly [K in keyof OneRouteOptions]: OneRouteOptions[K] } = {
    ...options,
    apiKey: options.apiKey ?? Redacted.make(getEnv(ENV.apiKey) ?? "")
  }
  const baseUrl = options.baseUrl ?? getEnv(ENV.baseUrl)
  if (baseUrl !== undefined) filled.baseUrl = baseUrl
  // An environment string such as "5000" or "5 seconds"; resolveOptions validates it.
  const timeout = options.timeout ?? (getEnv(ENV.timeout) as Duration.DurationInput | undefined)
  if (timeout !== undefined) filled.timeout = timeout
  return filled
}
