import { ENVIRONMENT_VARIABLES } from "@oneroute/core/adapter"
import { deno } from "./deno.js"

/** The variables OneRoute reads; core's `OneRouteConfig` asks for exactly these. */
export const ENV_NAMES: ReadonlyArray<string> = Object.values(ENVIRONMENT_VARIABLES)

/**
 * `Deno.env.get`. Without env permission Deno prompts, or throws `Deno.errors.NotCapable`
 * (whose message names the flag to add); that error is left to reach the caller.
 */
export const getEnv = (name: string): string | undefined => deno().env.get(name)
