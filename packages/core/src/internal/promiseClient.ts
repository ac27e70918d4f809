/**
 * The one Promise client: a method per endpoint of the registry over a `send` function, the
 * `closed` state every client keeps, and `sendSessionOrTemplate` over the client's own sends. The
 * fast client sends through the engine; `makeClient(layer)` through the `OneRoute` service of any
 * layer.
 */
import type * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type { WindowTracker } from "../ConversationWindows.js"
import * as Endpoint from "../Endpoint.js"
import { ClientClosedError, InvalidOptionsError, isOneRouteError } from "../Errors.js"
import type { OneRouteClient, SendOptions } from "../OneRouteClient.js"
import type { SessionMessage, SessionMessageRequest } from "../Schemas.js"
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

const isTracker = (value: unknown): value is WindowTracker =>
  typeof value === "object" &&
  value !== null &&
  ["status", "recordSend", "recordClosed"].every(
    (name) => typeof (value as Record<string, unknown>)[name] === "function"
  )

/** The tracker is advice: its failures never fail (nor repeat) a send that has happened. */
const quietly = (record: Promise<void>): void => void record.catch(() => undefined)

/**
 * A session send that tells `windows` what it learnt: the conversation it linked to the numbers,
 * or that the window is closed.
 */
const feeding =
  (
    send: (input: SessionMessageRequest.Encoded, options?: SendOptions) => Promise<SessionMessage>,
    windows: WindowTracker
  ) =>
  async (input: SessionMessageRequest.Encoded, options?: SendOptions): Promise<SessionMessage> => {
    try {
      const message = await send(input, options)
      quietly(windows.recordSend({ from: input.from, to: input.to, conversationId: message.conversationId }))
      return message
    } catch (error) {
      if (isOneRouteError(error) && error._tag === "RejectedError" && error.reason === "window-closed") {
        quietly(windows.recordClosed({ from: input.from, to: input.to }))
      }
      throw error
    }
  }

/** Without a tracker every window is unknown: `sendSessionOrTemplate` tries the session message first. */
export const unknownWindows: Pick<WindowTracker, "status" | "recordSend" | "recordClosed"> = {
  status: async () => ({ state: "unknown" }),
  recordSend: async () => {},
  recordClosed: async () => {}
}

/**
 * Builds the client: `send` for every method, `release` once on the first `close()`. With
 * `windows`, every session send feeds that tracker, and `sendSessionOrTemplate` asks it first.
 */
export const makePromiseClient = (
  send: Send,
  release: () => Promise<void>,
  windows: WindowTracker | undefined
): OneRouteClient => {
  if (windows !== undefined && !isTracker(windows)) {
    throw new InvalidOptionsError({
      option: "windows",
      problem: "must be a window tracker (createWindowTracker()) with status, recordSend and recordClosed"
    })
  }
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
  const methods = Object.fromEntries(
    Endpoint.all.map((endpoint) => [endpoint.name, method(endpoint as Endpoint.Any)])
  ) as unknown as Pick<OneRouteClient, Endpoint.Name>
  return {
    ...methods,
    sendSessionMessage:
      windows === undefined ? methods.sendSessionMessage : feeding(methods.sendSessionMessage, windows),
    sendSessionOrTemplate: async (input, options) => {
      // Loaded on first use: a page that only sends messages does not carry it.
      const { sendSessionOrTemplate } = await import("./windows/sessionOrTemplate.js")
      return sendSessionOrTemplate(
        {
          sendSession: (session) => methods.sendSessionMessage(session, options),
          sendTemplate: (template) => methods.sendTemplateMessage(template, options),
          windows: windows ?? unknownWindows
        },
        input
      )
    },
    close: async () => {
      if (closed) return
      closed = true
      await release()
    }
  }
}
