/**
 * An in-memory `OneRoute` for unit tests of code that sends session and template messages: no
 * HTTP, the same input validation as the real service, every accepted message recorded, failures
 * on demand.
 *
 * @since 0.1.0
 */
import {
  OneRoute,
  type OneRouteError,
  type SessionMessage,
  type SessionMessageRequest,
  type TemplateMessageRequest,
  type TemplateMessageResult,
  validateSessionMessageRequest,
  validateTemplateMessageRequest
} from "@oneroute/core/effect"
import { WhatsAppNumber } from "@oneroute/core/schema"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"

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
 * A template message request the in-memory service accepted, and the result it answered.
 *
 * @since 0.2.0
 */
export interface RecordedTemplateMessage {
  readonly request: TemplateMessageRequest
  readonly result: TemplateMessageResult
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
    /**
     * The next sends (session or template, whichever comes) fail with these errors, in order
     * (input validation still comes first).
     */
    readonly failNext: (...errors: ReadonlyArray<OneRouteError>) => Effect.Effect<void>
    /**
     * Every accepted template message request, in order.
     *
     * @since 0.2.0
     */
    readonly sentTemplates: Effect.Effect<ReadonlyArray<RecordedTemplateMessage>>
    /**
     * From now on, template messages to these numbers (written any way a `WhatsAppNumber`
     * accepts) have a `"failed"` outcome (`serverStatus: "failed"`, `detail: "Failed by
     * OneRouteTest"`); the other recipients of the same request are sent. Throws a defect for a
     * string that is not a WhatsApp number.
     *
     * @since 0.2.0
     */
    readonly failTemplateRecipients: (...numbers: ReadonlyArray<string>) => Effect.Effect<void>
  }
>() {}

const decodeNumber = Schema.decodeSync(WhatsAppNumber)

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
    const templates = yield* Ref.make<ReadonlyArray<RecordedTemplateMessage>>([])
    const failing = yield* Ref.make<ReadonlySet<string>>(new Set())
    const sendTemplateMessage = (input: TemplateMessageRequest.Encoded) =>
      Effect.gen(function* () {
        const request = yield* validateTemplateMessageRequest(input)
        const failure = yield* Ref.modify(failures, ([first, ...rest]) => [first, rest])
        if (failure !== undefined) return yield* Effect.fail(failure)
        const failed = yield* Ref.get(failing)
        return yield* Ref.modify(templates, (all) => {
          const result: TemplateMessageResult = {
            message: "Message sent to customer",
            outcomes: request.messages.map(({ to }, index) =>
              failed.has(to)
                ? { to, status: "failed", serverStatus: "failed", detail: "Failed by OneRouteTest" }
                : { to, status: "sent", messageId: `test-template-${all.length + 1}-${index + 1}` }
            )
          }
          return [result, [...all, { request, result }]]
        })
      })
    return Context.make(OneRoute, { sendSessionMessage, sendTemplateMessage }).pipe(
      Context.add(OneRouteTest, {
        sent: Ref.get(sent),
        failNext: (...errors) => Ref.update(failures, (queued) => [...queued, ...errors]),
        sentTemplates: Ref.get(templates),
        failTemplateRecipients: (...numbers) =>
          Ref.update(failing, (set) => new Set([...set, ...numbers.map((number) => decodeNumber(number))]))
      })
    )
  })
)
