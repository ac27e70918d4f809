/**
 * The window tracker as an Effect service. Its own module (exported from `@oneroute/core/effect`
 * only), so the Promise entry never loads Effect's runtime.
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import {
  type ClosedEvent,
  type ConversationPair,
  createWindowTracker,
  type InboundEvent,
  type SendEvent,
  WindowInputError,
  type WindowStatus,
  type WindowStore,
  WindowStoreError,
  type WindowTracker
} from "../../ConversationWindows.js"
import { InvalidOptionsError } from "../../Errors.js"

/**
 * The tracker's operations as Effects: the same rules as `createWindowTracker`'s.
 *
 * @since 0.4.0
 */
export interface ConversationWindowsService {
  /** Records a message from the customer (from a webhook: `{ conversationId, at }`). */
  readonly recordInbound: (event: InboundEvent) => Effect.Effect<void, WindowInputError | WindowStoreError>
  /** Records a session message that OneRoute accepted, linking its conversation to the numbers. */
  readonly recordSend: (event: SendEvent) => Effect.Effect<void, WindowInputError | WindowStoreError>
  /** Records a `window-closed` refusal. */
  readonly recordClosed: (event: ClosedEvent) => Effect.Effect<void, WindowInputError | WindowStoreError>
  /** What is known about the window now; `unknown` when the store fails. */
  readonly status: (pair: ConversationPair) => Effect.Effect<WindowStatus, WindowInputError>
}

/**
 * Options of `ConversationWindows.make` and `.layer`: the tracker's, with Effect durations.
 *
 * @since 0.4.0
 */
export interface ConversationWindowsOptions {
  /** Where windows are kept. Default: this process's memory; `@oneroute/redis` for several instances. */
  readonly store?: WindowStore
  /** How long a window lasts after the customer's last message. Default 24 hours. */
  readonly windowLength?: Duration.DurationInput
  /** How much earlier than the window's end `status` says `closed`. Default 5 minutes. */
  readonly safetyMargin?: Duration.DurationInput
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  readonly now?: () => number
}

/** A tracker's rejection as a typed failure; anything else it throws is a defect. */
const fromPromise = <A, E>(run: () => Promise<A>, isExpected: (error: unknown) => error is E): Effect.Effect<A, E> =>
  Effect.flatMap(
    Effect.promise(() =>
      run().then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error })
      )
    ),
    (result) => {
      if (result.ok) return Effect.succeed(result.value)
      return isExpected(result.error) ? Effect.fail(result.error) : Effect.die(result.error)
    }
  )

const isRecordError = (error: unknown): error is WindowInputError | WindowStoreError =>
  error instanceof WindowInputError || error instanceof WindowStoreError
const isInputError = (error: unknown): error is WindowInputError => error instanceof WindowInputError

const millisOf = (option: string, input: Duration.DurationInput | undefined): number | undefined => {
  if (input === undefined) return undefined
  const decoded = Duration.decodeUnknown(input)
  if (Option.isNone(decoded)) throw new InvalidOptionsError({ option, problem: "must be a duration" })
  return Duration.toMillis(decoded.value)
}

/** The service over a Promise tracker, so webhooks (Promise) and Effect code share one. */
const fromTracker = (tracker: WindowTracker): ConversationWindowsService => ({
  recordInbound: (event) => fromPromise(() => tracker.recordInbound(event), isRecordError),
  recordSend: (event) => fromPromise(() => tracker.recordSend(event), isRecordError),
  recordClosed: (event) => fromPromise(() => tracker.recordClosed(event), isRecordError),
  status: (pair) => fromPromise(() => tracker.status(pair), isInputError)
})

const make = (options: ConversationWindowsOptions = {}): Effect.Effect<ConversationWindowsService> =>
  Effect.sync(() => {
    const windowLength = millisOf("windowLength", options.windowLength)
    const safetyMargin = millisOf("safetyMargin", options.safetyMargin)
    return fromTracker(
      createWindowTracker({
        ...(options.store === undefined ? {} : { store: options.store }),
        ...(windowLength === undefined ? {} : { windowLength }),
        ...(safetyMargin === undefined ? {} : { safetyMargin }),
        ...(options.now === undefined ? {} : { now: options.now })
      })
    )
  })

/**
 * The conversation window tracker as a service. `make` and `layer` build one (unusable options
 * are an `InvalidOptionsError` defect); `fromTracker` serves a tracker you already have (the
 * one your `webhookHandler` feeds), so both APIs see the same windows.
 *
 * @since 0.4.0
 */
export class ConversationWindows extends Context.Tag("@oneroute/core/ConversationWindows")<
  ConversationWindows,
  ConversationWindowsService
>() {
  /** Makes the service. */
  static readonly make: (options?: ConversationWindowsOptions) => Effect.Effect<ConversationWindowsService> = make
  /** The service as a layer. */
  static readonly layer = (options?: ConversationWindowsOptions): Layer.Layer<ConversationWindows> =>
    Layer.effect(ConversationWindows, make(options))
  /** The service over an existing Promise tracker. */
  static readonly fromTracker: (tracker: WindowTracker) => ConversationWindowsService = fromTracker
  /** What the service in context knows about the window now. */
  static readonly status = (
    pair: ConversationPair
  ): Effect.Effect<WindowStatus, WindowInputError, ConversationWindows> =>
    Effect.flatMap(ConversationWindows, (service) => service.status(pair))
}
