import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import { ENV_NAMES, getEnv } from "./environment.js"

/**
 * A `ConfigProvider` over the OneRoute variables of `Deno.env`, read when this effect runs
 * (building the layer), never at import. Only these names are read, so
 * `--allow-env=ONEROUTE_API_KEY,ONEROUTE_BASE_URL,ONEROUTE_TIMEOUT` is enough. A denied read
 * is a `ConfigError` (`SourceUnavailable`) on that variable.
 */
export const configProvider: Effect.Effect<ConfigProvider.ConfigProvider, ConfigError.ConfigError> = Effect.suspend(
  () => {
    const entries = new Map<string, string>()
    for (const name of ENV_NAMES) {
      let value: string | undefined
      try {
        value = getEnv(name)
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        return Effect.fail(
          ConfigError.SourceUnavailable([name], `Cannot read ${name} from Deno.env: ${reason}`, Cause.die(error))
        )
      }
      if (value !== undefined) entries.set(name, value)
    }
    return Effect.succeed(ConfigProvider.fromMap(entries))
  }
)
