/**
 * The few Deno APIs this package touches, typed here rather than through an ambient `Deno`
 * declaration: the package then type-checks with plain `tsc` and with `deno check` alike, and
 * importing it on another runtime fails only when a Deno API is actually used.
 */

/** `Deno.HttpClient`: a connection pool of its own, closed with `close()`. */
export interface DenoHttpClient {
  close(): void
}

/** The slice of the `Deno` namespace used by `@oneroute/deno`. */
export interface DenoApi {
  readonly env: { get(name: string): string | undefined }
  readonly createHttpClient: (options: { readonly poolMaxIdlePerHost?: number }) => DenoHttpClient
}

/** `globalThis.Deno`, or a clear error on other runtimes. */
export const deno = (): DenoApi => {
  const api = (globalThis as { readonly Deno?: DenoApi }).Deno
  if (api === undefined)
    throw new Error("@oneroute/deno runs on Deno only; use @oneroute/node or @oneroute/browser elsewhere")
  return api
}
