import { deno } from "./deno.js"

/** The variables OneRoute reads; core's `OneRouteConfig` asks for exactly these. */
export const ENV_NAMES = ["ONEROUTE_API_KEY", "ONEROUTE_BASE_URL", "ONEROUTE_TIMEOUT"] as const

/**
 * `Deno.env.get`. Without env permission Deno prompts, or throws `Deno.errors.NotCapable`
 * (whose message names the flag to add); that error is left to reach the caller.
 */
export const getEnv = (name: string): string | undefined => deno().env.get(name)
