import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type * as Endpoint from "../Endpoint.js"
import { ClientClosedError } from "../Errors.js"
import type { OneRouteClient, SendOptions } from "../OneRouteClient.js"
import * as Endpoints from "./endpoints.js"
import { makeEngine } from "./engine/engine.js"
import type { OwnedTransport } from "./engine/transport.js"
import { parseTimeout, type ResolvedOptions } from "./options.js"

/** A per-send `timeout` in milliseconds; an unusable one throws `InvalidOptionsError` before anything is sent. */
export const sendTimeout = (options: SendOptions | undefined) =>
  options?.timeout === undefined ? undefined : Either.getOrThrowWith(parseTimeout(options.timeout), (error) => error)

/**
 * The fast Promise client: the engine over an adapter's own transport, no fiber per send.
 * `close()` releases the transport (its connection pool).
 */
export const makeEngineClient = (options: ResolvedOptions, transport: OwnedTransport): OneRouteClient => {
  const engine = makeEngine(options, transport.send)
  let closed = false
  const operation =
    <Input, Answer>(
      // biome-ignore lint/suspicious/noExplicitAny: any request type; the endpoint checks it.
      endpoint: Endpoint.Endpoint<string, Input, any, Answer>
    ) =>
    async (input: Input, sendOptions?: SendOptions): Promise<Answer> => {
      if (closed) throw new ClientClosedError()
      const timeout = sendTimeout(sendOptions)
      return engine.send(endpoint, input, {
        signal: sendOptions?.signal,
        headers: sendOptions?.headers,
        timeoutMs: timeout === undefined ? undefined : Duration.toMillis(timeout)
      })
    }
  return {
    sendSessionMessage: operation(Endpoints.sessionMessage),
    sendTemplateMessage: operation(Endpoints.templateMessage),
    close: async () => {
      if (closed) return
      closed = true
      await transport.close()
    }
  }
}
