/**
 * A Promise API over the `OneRoute` service, for code that does not use Effect. The runtime
 * adapters' `createClient` return one.
 *
 * @since 0.1.0
 */
import type { SessionOrTemplateRequest, SessionOrTemplateResult, WindowTracker } from "./ConversationWindows.js"
import type { AnswerOf, InputOf, Registry } from "./Endpoint.js"
import type { OneRouteOptions, RelayOptions, RequestHeaders, RetryOptions } from "./Options.js"

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
 * One method per endpoint of the registry (`sendSessionMessage`, `sendTemplateMessage`,
 * `sendCampaign`, …): validates the input (nothing is sent for invalid input), sends it, and
 * resolves with the decoded answer. Rejects with the same error instances as the Effect API
 * (`InvalidInputError`, `RejectedError`, … — see `isOneRouteError`), never a wrapper.
 *
 * @since 0.4.0
 */
export type ClientOperations = {
  readonly [Name in keyof Registry]: (
    input: InputOf<Registry[Name]>,
    options?: SendOptions
  ) => Promise<AnswerOf<Registry[Name]>>
}

/**
 * The Promise client: one method per endpoint ({@link ClientOperations}), and `close`.
 *
 * @since 0.1.0
 */
export interface OneRouteClient extends ClientOperations {
  /**
   * Sends a session message, or the template when the customer's window is closed: the template
   * when the client's window tracker knows the window is closed, otherwise the session message,
   * and the template only when OneRoute refused that message as `window-closed` with proof that
   * it was not sent. Never both, never either twice; a send that may have gone out rejects as
   * such and is never followed by the other. See `createWindowTracker` and the `windows` option.
   *
   * @since 0.4.0
   */
  readonly sendSessionOrTemplate: (
    input: SessionOrTemplateRequest,
    options?: SendOptions
  ) => Promise<SessionOrTemplateResult>
  /** Closes connections and releases resources. Sends after `close()` reject with `ClientClosedError`. */
  readonly close: () => Promise<void>
}

/**
 * The window tracker option of every Promise client.
 *
 * @since 0.4.0
 */
export interface WindowsOption {
  /**
   * The window tracker this client asks (`sendSessionOrTemplate`) and feeds: every session send
   * records the conversation it linked to the numbers, every `window-closed` refusal that the
   * window is closed. Share one with your `webhookHandler({ windows })` so customers' messages
   * open windows. Default: none (`sendSessionOrTemplate` then knows no window ahead: it tries the
   * session message first, and sends the template only after a `window-closed` refusal).
   *
   * @since 0.4.0
   */
  readonly windows?: WindowTracker
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
export interface ClientOptions extends OneRouteOptions, WindowsOption {
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
export interface RelayClientOptions extends RelayOptions, WindowsOption {
  /** How long one attempt may take, body included, in milliseconds. Default 30000. */
  readonly timeout?: number
  /** Retry policy, or `false` for none. Default: up to 2 retries of failures that certainly sent nothing. */
  readonly retry?: ClientRetryOptions | false
}
