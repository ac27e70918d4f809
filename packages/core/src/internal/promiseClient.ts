/**
 * The one Promise client: a method per endpoint of the registry over a `send` function, and the
 * `closed` state every client keeps. The fast client sends through the engine; `makeClient(layer)`
 * through the `OneRoute` service of any layer.
 */
import type * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Endpoint from "../Endpoint.js"
import { ClientClosedError } from "../Errors.js"
import type { OneRouteClient, SendOptions } from "../OneRouteClient.js"
import { parseTimeout } from "./options.js"

/** One send of one endpoint, with the per-send options already checked. */
export type Send = (
  endpoint: Endpoint.Any,
  input: unknown,
  options: {
    readonly signal: AbortSignal | undefined
    readonly headers: SendOptions["headers"] | undefined
    readonly timeout: Duration.Duration | undefined
  }
) => Promise<unknown>

/** Builds the client: `send` for every method, `release` once on the first `close()`. */
export const makePromiseClient = (send: Send, release: () => Promise<void>): OneRouteClient => {
  let closed = false
  const method =
    (endpoint: Endpoint.Any) =>
    async (input: unknown, options?: SendOptions): Promise<unknown> => {
      if (closed) throw new ClientClosedError()
      if (options?.signal?.aborted) throw options.signal.reason
      // An unusable per-send timeout throws `InvalidOptionsError` before anything is sent.
      const timeout =
        options?.timeout === undefined ? undefined : Either.getOrThrowWith(parseTimeout(options.timeout), (e) => e)
      return send(endpoint, input, { signal: options?.signal, headers: options?.headers, timeout })
    }
  const methods = Object.fromEntries(Endpoint.all.map((endpoint) => [endpoint.name, method(endpoint as Endpoint.Any)]))
  return {
    ...methods,
    close: async () => {
      if (closed) return
      closed = true
      await release()
    }
  } as unknown as OneRouteClient
}
