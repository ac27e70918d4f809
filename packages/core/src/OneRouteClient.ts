/**
 * A Promise API over the `OneRoute` service, for code that does not use Effect. The runtime
 * adapters' `createClient` return one.
 *
 * @since 0.1.0
 */
import type { OneRouteOptions, RelayOptions, RequestHeaders, RetryOptions } from "./Options.js"
import type { SessionMessage, SessionMessageRequest } from "./Schemas.js"
import type { TemplateMessageRequest } from "./TemplateMessage.js"
import type { TemplateMessageResult } from "./TemplateResult.js"

/**
 * Per-call options.
 *
 * @since 0.1.0
 */
export interface SendOptions {
  /** Aborting interrupts the send; the promise rejects with `signal.reason`, as `fetch` does. */
  readonly signal?: AbortSignal
  /**
   * Headers for this send only (a record, or a function called before each of its requests, see
   * {@link RequestHeaders}), set after the client's `headers`, so they win over those. They
   * cannot replace `content-type`, `idempotency-key` or `apikey`. Default: none.
   */
  readonly headers?: RequestHeaders
  /**
   * How long each attempt of this send may take, in milliseconds, instead of the client's
   * `timeout` (a `RequestTimeoutError` when it runs out). To bound the whole send, retries and
   * their waits included, pass `signal: AbortSignal.timeout(ms)`. A value that is not a positive,
   * finite number rejects with `InvalidOptionsError` and sends nothing. Default: the client's.
   */
  readonly timeout?: number
}

/**
 * The Promise client.
 *
 * @since 0.1.0
 */
export interface OneRouteClient {
  /**
   * Sends a session message. Rejects with the same error instances as the Effect API
   * (`InvalidInputError`, `RejectedError`, … — see `isOneRouteError`), never a wrapper.
   */
  readonly sendSessionMessage: (input: SessionMessageRequest.Encoded, options?: SendOptions) => Promise<SessionMessage>
  /**
   * Sends a template message to 1 to `MAX_TEMPLATE_RECIPIENTS` recipients (any time: templates
   * need no open window). Resolves with one outcome per recipient, in request order, as soon as
   * OneRoute answered for each (some may be `"failed"`: check them); rejects like
   * `sendSessionMessage`, and with `UnexpectedResponseError` (`sendOutcome: "unknown"`) when the
   * answer does not have exactly one entry per recipient.
   *
   * @since 0.2.0
   */
  readonly sendTemplateMessage: (
    input: TemplateMessageRequest.Encoded,
    options?: SendOptions
  ) => Promise<TemplateMessageResult>
  /** Closes connections and releases resources. Sends after `close()` reject. */
  readonly close: () => Promise<void>
}

/**
 * {@link RetryOptions} as a Promise client takes them: durations are milliseconds.
 *
 * @since 0.1.0
 */
export interface ClientRetryOptions extends RetryOptions {
  /** First backoff delay in milliseconds, doubled each retry, ±20 % jitter. Default 250. */
  readonly baseDelay?: number
  /** Longest wait in milliseconds, backoff or `Retry-After`; a longer `Retry-After` fails at once. Default 30000. */
  readonly maxDelay?: number
}

/**
 * The options of a Promise client (`createClient`): {@link OneRouteOptions} with every duration
 * in milliseconds. (An adapter's `layer`, in its `/effect` entry, also takes Effect's `DurationInput`.)
 *
 * @since 0.1.0
 */
export interface ClientOptions extends OneRouteOptions {
  /** How long one attempt may take, body included, in milliseconds. Default 30000. */
  readonly timeout?: number
  /** Retry policy, or `false` for none. Default: up to 2 retries of failures that certainly sent nothing. */
  readonly retry?: ClientRetryOptions | false
}

/**
 * The options of a Promise client in relay mode (`createClient({ relayUrl })` on every runtime):
 * {@link RelayOptions} with every duration in milliseconds.
 *
 * @since 0.3.0
 */
export interface RelayClientOptions extends RelayOptions {
  /** How long one attempt may take, body included, in milliseconds. Default 30000. */
  readonly timeout?: number
  /** Retry policy, or `false` for none. Default: up to 2 retries of failures that certainly sent nothing. */
  readonly retry?: ClientRetryOptions | false
}
