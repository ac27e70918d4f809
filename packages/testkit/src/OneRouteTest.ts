/**
 * An in-memory `OneRoute` for unit tests of code that sends through OneRoute: no HTTP, the same
 * input validation as the real service, every accepted request recorded, failures on demand.
 * Every endpoint of the registry is there, answered by the endpoint's own `fake`.
 *
 * @since 0.1.0
 */
import {
  Endpoint,
  OneRoute,
  type OneRouteError,
  type OneRouteService,
  type SessionMessage,
  type SessionMessageRequest,
  type TemplateMessageRequest,
  type TemplateMessageResult
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
  /** The request as validated (numbers normalised). */
  readonly request: SessionMessageRequest
  /** What the in-memory service answered. */
  readonly message: SessionMessage
}

/**
 * A template message request the in-memory service accepted, and the result it answered.
 *
 * @since 0.2.0
 */
export interface RecordedTemplateMessage {
  /** The request as validated (numbers normalised). */
  readonly request: TemplateMessageRequest
  /** What the in-memory service answered: one outcome per recipient. */
  readonly result: TemplateMessageResult
}

/**
 * A request of any endpoint the in-memory service accepted, and what it answered.
 *
 * @since 0.4.0
 */
export interface RecordedSend<Name extends Endpoint.Name = Endpoint.Name> {
  /** The endpoint's method name. */
  readonly endpoint: Name
  /** The request as validated (numbers normalised). */
  readonly request: Endpoint.RequestOf<Endpoint.Registry[Name]>
  /** What the in-memory service answered. */
  readonly answer: Endpoint.AnswerOf<Endpoint.Registry[Name]>
}

/**
 * Controls of the in-memory service.
 *
 * @since 0.1.0
 */
export class OneRouteTest extends Context.Tag("@oneroute/testkit/OneRouteTest")<
  OneRouteTest,
  {
    /** Every accepted session message, in order. */
    readonly sent: Effect.Effect<ReadonlyArray<RecordedMessage>>
    /**
     * Every accepted request of one endpoint (`"sendCampaign"`, …), in order.
     *
     * @since 0.4.0
     */
    readonly recorded: <Name extends Endpoint.Name>(name: Name) => Effect.Effect<ReadonlyArray<RecordedSend<Name>>>
    /**
     * The next sends (of any endpoint, whichever comes) fail with these errors, in order
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

/** The endpoint's validation as an Effect: the plain validator answers at once, the schema asynchronously. */
const validate = (endpoint: Endpoint.Any, input: unknown) =>
  Effect.flatten(Effect.promise(async () => endpoint.validate(input)))

/**
 * Provides `OneRoute` (in memory) and `OneRouteTest` (its controls). Timestamps come from
 * Effect's `Clock`, so `TestClock` controls them.
 *
 * @since 0.1.0
 */
export const layerTest: Layer.Layer<OneRoute | OneRouteTest> = Layer.effectContext(
  Effect.gen(function* () {
    const records = yield* Ref.make<ReadonlyArray<RecordedSend>>([])
    const failures = yield* Ref.make<ReadonlyArray<OneRouteError>>([])
    const failing = yield* Ref.make<ReadonlySet<string>>(new Set())
    const operation = (endpoint: Endpoint.Any) => (input: unknown) =>
      Effect.gen(function* () {
        const request = yield* validate(endpoint, input)
        const failure = yield* Ref.modify(failures, ([first, ...rest]) => [first, rest])
        if (failure !== undefined) return yield* Effect.fail(failure)
        const now = new Date(yield* Clock.currentTimeMillis)
        const context = { now, failing: yield* Ref.get(failing) }
        return yield* Ref.modify(records, (all) => {
          const sequence = all.filter((record) => record.endpoint === endpoint.name).length + 1
          const answer: unknown = endpoint.fake(request, { ...context, sequence })
          return [answer, [...all, { endpoint: endpoint.name, request, answer } as RecordedSend]]
        })
      })
    const service = Object.fromEntries(Endpoint.all.map((endpoint) => [endpoint.name, operation(endpoint)]))
    const recorded = <Name extends Endpoint.Name>(name: Name) =>
      Effect.map(Ref.get(records), (all) =>
        all.filter((record): record is RecordedSend<Name> => record.endpoint === name)
      )
    return Context.make(OneRoute, service as unknown as OneRouteService).pipe(
      Context.add(OneRouteTest, {
        sent: Effect.map(recorded("sendSessionMessage"), (all) =>
          all.map(({ request, answer }) => ({ request, message: answer }))
        ),
        recorded,
        failNext: (...errors) => Ref.update(failures, (queued) => [...queued, ...errors]),
        sentTemplates: Effect.map(recorded("sendTemplateMessage"), (all) =>
          all.map(({ request, answer }) => ({ request, result: answer }))
        ),
        failTemplateRecipients: (...numbers) =>
          Ref.update(failing, (set) => new Set([...set, ...numbers.map((number) => decodeNumber(number))]))
      })
    )
  })
)
