/**
 * Promise callers see plain JavaScript: durations in milliseconds and readable text. Effect
 * callers keep `Duration`.
 */
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { RateLimitedError, RequestTimeoutError } from "../src/effect.js"
import { decodeError, encodeError } from "../src/internal/errorWire.js"
import { resolveOptions as validateOptions } from "../src/internal/options.js"

describe("durations in errors", () => {
  it("RateLimitedError: a Duration for Effect, retryAfterMs and readable text for everyone else", () => {
    const error = new RateLimitedError({ retryAfter: Duration.seconds(7) })
    expect(Duration.toMillis(error.retryAfter!)).toBe(7000)
    expect(error.retryAfterMs).toBe(7000)
    expect(error.message).toMatch(/Retry after 7 s\.$/)
    expect(String(error)).not.toMatch(/Duration/)
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      _tag: "RateLimitedError",
      retryAfterMs: 7000,
      sendOutcome: "not-sent"
    })
    expect(new RateLimitedError({}).retryAfterMs).toBeUndefined()
    expect(JSON.stringify(new RateLimitedError({}))).not.toMatch(/retryAfter/)
    expect(new RateLimitedError({ retryAfter: Duration.millis(1500) }).message).toMatch(/Retry after 1.5 s\./)
    expect(new RateLimitedError({ retryAfter: Duration.seconds(125) }).message).toMatch(/Retry after 2 min 5 s\./)
  })

  it("RequestTimeoutError: timeoutMs, readable text, plain JSON", () => {
    const error = new RequestTimeoutError({ timeout: Duration.millis(300) })
    expect(error.timeoutMs).toBe(300)
    expect(error.message).toMatch(/within 300 ms\./)
    expect(new RequestTimeoutError({ timeout: Duration.seconds(30) }).message).toMatch(/within 30 s\./)
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      _tag: "RequestTimeoutError",
      timeoutMs: 300,
      sendOutcome: "unknown"
    })
  })

  it("the wire form (what a relay sends) stays milliseconds and decodes back to the same error", () => {
    const encoded = JSON.parse(JSON.stringify(encodeError(new RateLimitedError({ retryAfter: Duration.seconds(7) }))))
    expect(encoded).toMatchObject({ _tag: "RateLimitedError", retryAfter: 7000 })
    const decoded = decodeError(encoded)
    expect(decoded).toBeInstanceOf(RateLimitedError)
    expect((decoded as RateLimitedError).retryAfterMs).toBe(7000)
  })
})

describe("duration options", () => {
  const problem = (options: Parameters<typeof validateOptions>[0]) => {
    const result = validateOptions(options)
    return Either.isLeft(result) ? `${result.left.option}: ${result.left.problem}` : "accepted"
  }
  it("take milliseconds everywhere (timeout, retry.baseDelay, retry.maxDelay)", () => {
    const options = Either.getOrThrow(
      validateOptions({ apiKey: "k", timeout: 5000, retry: { baseDelay: 100, maxDelay: 2000 } })
    )
    expect(Duration.toMillis(options.timeout)).toBe(5000)
    expect(Duration.toMillis(options.retry.baseDelay)).toBe(100)
    expect(Duration.toMillis(options.retry.maxDelay)).toBe(2000)
  })

  it("refuse unusable delays with InvalidOptionsError instead of throwing from Duration.decode", () => {
    expect(problem({ apiKey: "k", retry: { baseDelay: "soon" as never } })).toMatch(/^retry.baseDelay: .*milliseconds/)
    expect(problem({ apiKey: "k", retry: { maxDelay: -1 } })).toMatch(/^retry.maxDelay: .*≥ 0/)
    expect(problem({ apiKey: "k", retry: { baseDelay: Number.NaN } })).toMatch(/^retry.baseDelay/)
    expect(problem({ apiKey: "k", timeout: Number.POSITIVE_INFINITY })).toMatch(/^timeout: .*finite/)
    expect(problem({ apiKey: "k", retry: { baseDelay: 0 } })).toBe("accepted")
    expect(problem({ apiKey: "k", retry: "twice" as never })).toMatch(/^retry: must be false or an object/)
    expect(Either.getOrThrow(validateOptions({ apiKey: "k", retry: true as never })).retry.times).toBe(2)
  })
})

describe("durations past the longest timer are refused, never wrapped to 1 ms", () => {
  it.each([
    ["timeout", { timeout: "25 days" }],
    ["timeout", { timeout: 2 ** 31 }],
    ["retry.maxDelay", { retry: { maxDelay: "40 days" } }],
    ["retry.baseDelay", { retry: { baseDelay: 2 ** 31 } }]
  ] as const)("%s: %j", (option, options) => {
    const resolved = validateOptions({ apiKey: "k", ...options })
    expect(Either.isLeft(resolved) && [resolved.left.option, resolved.left.problem]).toEqual([
      option,
      expect.stringMatching(/at most 2147483647 ms/)
    ])
  })

  it("accepts the longest timer itself", () => {
    expect(Either.isRight(validateOptions({ apiKey: "k", timeout: 2 ** 31 - 1 }))).toBe(true)
  })
})
