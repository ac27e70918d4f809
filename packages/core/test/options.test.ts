import { inspect } from "node:util"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { describe, expect, it } from "vitest"
import { OneRouteConfig } from "../src/effect.js"
import { config } from "../src/internal/config.js"
import {
  withEnvironment as optionsWithEnvironment,
  resolveOptions,
  resolveOptions as validateOptions,
  withEnvironment
} from "../src/internal/options.js"
import * as Platform from "../src/platform.js"

const resolved = (options: Parameters<typeof resolveOptions>[0]) => Either.getOrThrow(resolveOptions(options))
const problem = (options: Parameters<typeof resolveOptions>[0]) => {
  const result = resolveOptions(options)
  return Either.isLeft(result) ? `${result.left.option}: ${result.left.message}` : "accepted"
}

describe("options", () => {
  it("defaults to the OneRoute endpoint, 30 s timeout, 2 safe retries", () => {
    const options = resolved({ apiKey: "k" })
    expect(options.baseUrl).toBe("https://api.oneroute.io/")
    expect(Duration.toMillis(options.timeout)).toBe(30_000)
    expect(options.retry.times).toBe(2)
    expect(options.retry.retryUnknownOutcome).toBe(false)
    expect(Redacted.isRedacted(options.apiKey)).toBe(true)
  })

  it("keeps a base URL's path prefix and allows http only on loopback", () => {
    expect(resolved({ apiKey: "k", baseUrl: "https://proxy.example.com/oneroute" }).baseUrl).toBe(
      "https://proxy.example.com/oneroute/"
    )
    expect(resolved({ apiKey: "k", baseUrl: "http://127.0.0.1:8080" }).baseUrl).toBe("http://127.0.0.1:8080/")
    expect(problem({ apiKey: "k", baseUrl: "http://api.oneroute.io" })).toMatch(/^baseUrl: .*https/)
    expect(problem({ apiKey: "k", baseUrl: "not a url" })).toMatch(/^baseUrl/)
  })

  it("refuses a missing key, a bad timeout and bad retry counts with a message that says what to do", () => {
    expect(problem({ apiKey: "  " })).toMatch(/ONEROUTE_API_KEY/)
    expect(problem({ apiKey: "k", timeout: "soon" as Duration.DurationInput })).toMatch(/^timeout/)
    expect(problem({ apiKey: "k", timeout: 0 })).toMatch(/^timeout: .*positive/)
    expect(problem({ apiKey: "k", retry: { times: -1 } })).toMatch(/^retry.times/)
    expect(resolved({ apiKey: "k", retry: false }).retry.times).toBe(0)
  })

  it("refuses an API key that cannot travel in a header, saying what is wrong and never echoing it", () => {
    const secret = "sk_live_4f9a2c"
    const cases: ReadonlyArray<readonly [string, RegExp]> = [
      [`${secret}\n`, /^apiKey: .*ends with a newline .*trim it/],
      [`${secret}\r\n`, /^apiKey: .*ends with a newline/],
      [`${secret} `, /^apiKey: .*ends with a space.*trim it/],
      [`\t${secret}`, /^apiKey: .*starts with a tab.*trim it/],
      [`sk_live\u00004f9a`, /^apiKey: .*control character \(U\+0000\) at position 8 of 12/],
      [`sk live`, /^apiKey: .*a space at position 3/],
      [`sk_live_\u201c4f9a`, /^apiKey: .*U\+201C at position 9/]
    ]
    for (const [key, expected] of cases) {
      const text = problem({ apiKey: key })
      expect(text).toMatch(expected)
      expect(text).not.toContain("4f9a")
      expect(problem({ apiKey: Redacted.make(key) })).toMatch(expected)
    }
    expect(problem({ apiKey: secret })).toBe("accepted")
  })

  it("relay mode posts to the relay URL as is, with no key, under the same https rule", () => {
    const relay = resolved({ relayUrl: "https://app.example.com/api/oneroute/send", timeout: 5000 })
    expect(relay.baseUrl).toBe("https://app.example.com/api/oneroute/send/")
    expect(relay.apiKey).toBeUndefined()
    expect(problem({ relayUrl: "http://app.example.com/send" })).toMatch(/^relayUrl: .*https/)
    expect(problem({ relayUrl: "/relative" })).toMatch(/^relayUrl: .*absolute/)
    const both = { relayUrl: "https://app.example.com/send", apiKey: "k" } as unknown as Parameters<
      typeof resolveOptions
    >[0]
    expect(problem(both)).toMatch(/^apiKey: .*relayUrl/)
  })

  it("sends a User-Agent only when there is one", () => {
    expect(resolved({ apiKey: "k" }).userAgent).toBeUndefined()
    expect(resolved({ apiKey: "k", userAgent: "my-app/1.0" }).userAgent).toBe("my-app/1.0")
  })

  it("fills missing options from an environment; explicit options win", () => {
    const env: Record<string, string> = {
      ONEROUTE_API_KEY: "env-key",
      ONEROUTE_BASE_URL: "http://localhost:9",
      ONEROUTE_TIMEOUT: "1500"
    }
    const options = resolved(withEnvironment({ baseUrl: "https://example.com" }, (name) => env[name]))
    expect(Redacted.value(options.apiKey!)).toBe("env-key")
    expect(options.baseUrl).toBe("https://example.com/")
    expect(Duration.toMillis(options.timeout)).toBe(1500)
  })

  it("reads Config from the provider, accepting milliseconds or a duration for the timeout", async () => {
    const read = (env: Record<string, string>) =>
      Effect.runPromise(
        Effect.either(Effect.withConfigProvider(config, ConfigProvider.fromMap(new Map(Object.entries(env)))))
      )
    const ok = await read({ ONEROUTE_API_KEY: "k", ONEROUTE_TIMEOUT: "2 seconds" })
    expect(Either.isRight(ok) && Duration.toMillis(Duration.decode(ok.right.timeout!))).toBe(2000)
    const missing = await read({})
    expect(Either.isLeft(missing) && String(missing.left)).toMatch(/ONEROUTE_API_KEY/)
    const bad = await read({ ONEROUTE_API_KEY: "k", ONEROUTE_TIMEOUT: "soon" })
    expect(Either.isLeft(bad) && String(bad.left)).toMatch(/ONEROUTE_TIMEOUT/)
  })
})

describe("validateOptions (@oneroute/core/adapter)", () => {
  it("returns the resolved options with the key still Redacted, never the raw string", () => {
    const result = validateOptions({ apiKey: "sk_live_secret", timeout: 1500, baseUrl: "http://127.0.0.1:9" })
    expect(Either.isRight(result)).toBe(true)
    const options = Either.getOrThrow(result)
    expect(Redacted.isRedacted(options.apiKey)).toBe(true)
    expect(options.baseUrl).toBe("http://127.0.0.1:9/")
    expect(Duration.toMillis(options.timeout)).toBe(1500)
    expect(options.retry.times).toBe(2)
    for (const text of [JSON.stringify(options), String(options.apiKey), inspect(options, { depth: 5 })]) {
      expect(text).not.toContain("sk_live_secret")
    }
  })
})

describe("the environment is read one way", () => {
  const env = new Map([
    ["ONEROUTE_API_KEY", "env-key"],
    ["ONEROUTE_TIMEOUT", "2 seconds"]
  ])
  it("OneRouteConfig and optionsWithEnvironment give the same options, with one default timeout", async () => {
    const fromConfig = await Effect.runPromise(Effect.withConfigProvider(OneRouteConfig, ConfigProvider.fromMap(env)))
    const fromGetEnv = optionsWithEnvironment({}, (name) => env.get(name))
    const resolvedConfig = Either.getOrThrow(validateOptions(fromConfig))
    const resolvedGetEnv = Either.getOrThrow(validateOptions(fromGetEnv))
    expect(Duration.toMillis(resolvedConfig.timeout)).toBe(2000)
    expect({ ...resolvedConfig, apiKey: Redacted.value(resolvedConfig.apiKey!) }).toEqual({
      ...resolvedGetEnv,
      apiKey: Redacted.value(resolvedGetEnv.apiKey!)
    })
    const withoutTimeout = new Map([["ONEROUTE_API_KEY", "env-key"]])
    const defaults = await Effect.runPromise(
      Effect.withConfigProvider(OneRouteConfig, ConfigProvider.fromMap(withoutTimeout))
    )
    expect(defaults.timeout).toBeUndefined()
    expect(Duration.toMillis(Either.getOrThrow(validateOptions(defaults)).timeout)).toBe(30_000)
  })

  it("an unusable value from Config is a ConfigError on its variable", async () => {
    const exit = await Effect.runPromise(
      Effect.either(
        Effect.withConfigProvider(
          OneRouteConfig,
          ConfigProvider.fromMap(new Map([...env, ["ONEROUTE_BASE_URL", "http://api.oneroute.io"]]))
        )
      )
    )
    expect(Either.isLeft(exit) && String(exit.left)).toMatch(/ONEROUTE_BASE_URL.*https/)
  })
})

describe("layerConfig over an HttpClient (core/platform)", () => {
  it("turns an unusable environment value into a ConfigError naming the option", async () => {
    const layer = Platform.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
    const exit = await Effect.runPromiseExit(
      Effect.withConfigProvider(
        Layer.build(layer).pipe(Effect.scoped),
        ConfigProvider.fromMap(
          new Map([
            ["ONEROUTE_API_KEY", "k"],
            ["ONEROUTE_BASE_URL", "http://api.oneroute.io"]
          ])
        )
      )
    )
    const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
    expect(Option.isSome(failure) && ConfigError.isConfigError(failure.value)).toBe(true)
    expect(String(Option.getOrUndefined(failure))).toMatch(/ONEROUTE_BASE_URL.*https/)
  })
})
