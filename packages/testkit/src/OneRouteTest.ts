/**
 * An in-memory `OneRoute` for unit tests of code that sends session messages: no HTTP, the
 * same input validation as the real service, every accepted message recorded, failures on demand.
 *
 * @since 0.1.0
 */
import {
  OneRoute,
  type OneRouteError,
  type SessionMessage,
  type SessionMessageRequest,
  validateSessionMessageRequest
} from "@oneroute/core"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"

/**
 * A message the in-memory service accepted: the normalised request and the message it answered.
 *
 * @since 0.1.0
 */
export interface RecordedMessage {
  readonly request: SessionMessageRequest
  readonly message: SessionMessage
}

/**
 * Controls of the in-memory service.
 *
 * @since 0.1.0
 */
export class OneRouteTest extends Context.Tag("@oneroute/testkit/OneRouteTest")<
  OneRouteTest,
  {
    /** Every accepted message, in order. */
    readonly sent: Effect.Effect<ReadonlyArray<RecordedMessage>>
    /** The next sends fail with these errors, in order (input validation still comes first). */
    readonly failNext: (...errors: ReadonlyArray<OneRouteError>) => Effect.Effect<void>
  }
>() {}

const answer = (request: SessionMessageRequest, now: Date, count: number): SessionMessage => ({
  id: crypto.randomUUID(),
  content: request.message,
  contentType: "TEXT",
  sender: { name: request.from, authUser: true, lastActivity: now },
  externalId: `test-${count}`,
  conversationId: `conversation-${request.from}-${request.to}`,
  createdAt: now,
  updatedAt: now,
  subject: null,
  imageUrl: null,
  videoUrl: null,
  documentUrl: null,
  audioUrl: null,
  quotedMessageId: null
})

/**
 * Provides `OneRoute` (in memory) and `OneRouteTest` (its controls). Timestamps come from
 * Effect's `Clock`, so `TestClock` controls them.
 *
 * @since 0.1.0
 */
export const layerTest: Layer.Layer<OneRoute | OneRouteTest> = Layer.effectContext(
  Effect.gen(function* () {
    const sent = yield* Ref.make<ReadonlyArray<RecordedMessage>>([])
    const failures = yield* Ref.make<ReadonlyArray<OneRouteError>>([])
    const sendSessionMessage = (input: SessionMessageRequest.Encoded) =>
      Effect.gen(function* () {
        const request = yield* validateSessionMessageRequest(input)
        const failure = yield* Ref.modify(failures, ([first, ...rest]) => [first, rest])
        if (failure !== undefined) return yield* Effect.fail(failure)
        const now = new Date(yield* Clock.currentTimeMillis)
        return yield* Ref.modify(sent, (all) => {
          const message = answer(request, now, all.length + 1)
          return [message, [...all, { request, message }]]
        })
      })
    return Context.make(OneRoute, { sendSessionMessage }).pipe(
      Context.add(OneRouteTest, {
        sent: Ref.get(sent),
        failNext: (...errors) => Ref.update(failures, (queued) => [...queued, ...errors])
      })
    )
  })
)
