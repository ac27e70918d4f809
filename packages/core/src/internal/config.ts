import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type { OneRouteOptions } from "../Options.js"
import { ENV, resolveOptions, withEnvironment } from "./options.js"

// Its own module: `Config` is for `layerConfig` only, and a browser bundle must not carry it.

/** The variable an option is read from, for errors about environment values. */
const variableOf = (option: string): string =>
  option === "apiKey" ? ENV.apiKey : option === "baseUrl" ? ENV.baseUrl : option === "timeout" ? ENV.timeout : option

const variable = (name: string) => Config.option(Config.string(name))

/**
 * `OneRouteOptions` read from the current `ConfigProvider` (the environment by default) with
 * {@link withEnvironment}, and checked by `resolveOptions`: no `ONEROUTE_API_KEY` is `MissingData`,
 * an unusable value is `InvalidData` on its variable.
 */
export const config: Config.Config<OneRouteOptions> = Config.all([
  variable(ENV.apiKey),
  variable(ENV.baseUrl),
  variable(ENV.timeout)
]).pipe(
  Config.mapOrFail(([apiKey, baseUrl, timeout]) => {
    if (Option.isNone(apiKey)) {
      return Either.left(ConfigError.MissingData([ENV.apiKey], `Expected ${ENV.apiKey} to hold your OneRoute API key`))
    }
    const values = new Map([
      [ENV.apiKey, apiKey],
      [ENV.baseUrl, baseUrl],
      [ENV.timeout, timeout]
    ])
    const options = withEnvironment({}, (name) => Option.getOrUndefined(values.get(name as never) ?? Option.none()))
    return Either.match(resolveOptions(options), {
      onLeft: (error) => Either.left(ConfigError.InvalidData([variableOf(error.option)], error.problem)),
      onRight: () => Either.right(options)
    })
  })
)
