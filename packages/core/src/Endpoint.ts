/**
 * The endpoint registry: every OneRoute operation the SDK knows, as a value. The `OneRoute`
 * service, the Promise client, the relay's routes and limits, the testkit's `layerTest`,
 * conformance targets and hostile suite are all derived from {@link registry}: a new endpoint is
 * its module and one line here.
 *
 * @since 0.2.0
 * @module
 */
import type * as Either from "effect/Either"
import type { CampaignAccepted, CampaignRequest } from "./Campaign.js"
import type { InvalidInputError } from "./Errors.js"
import { campaign } from "./internal/campaignEndpoint.js"
import { sessionMessage } from "./internal/sessionEndpoint.js"
import { templateMessage } from "./internal/templateEndpoint.js"
import type { SessionMessage, SessionMessageRequest } from "./Schemas.js"
import type { TemplateMessageRequest } from "./TemplateMessage.js"
import type { TemplateMessageResult } from "./TemplateResult.js"

/**
 * What an endpoint's {@link Endpoint.fake} answer may use: the time, the send's number in the
 * fake's life (from 1), and the customer numbers whose messages should fail.
 *
 * @since 0.4.0
 */
export interface FakeContext {
  /** The fake clock's time. */
  readonly now: Date
  /** This send's number, from 1. */
  readonly sequence: number
  /** Customer numbers (normalised) whose messages fail, where the answer has per-recipient outcomes. */
  readonly failing: ReadonlySet<string>
}

/**
 * One OneRoute operation.
 *
 * @since 0.2.0
 */
export interface Endpoint<Name extends string, Input, Request, Answer> {
  /** The method's name on the service and the clients; the span is `OneRoute.<name>`. */
  readonly name: Name
  /** The path under OneRoute's base URL, and under a relay's `relayUrl`. */
  readonly path: string
  /** The largest request body a relay accepts for this endpoint by default, in bytes. */
  readonly maxRelayBodyBytes: number
  /**
   * Validates and normalises untrusted input: the request sent, or every issue. Valid input is
   * answered at once; invalid input asynchronously (the schemas load on first need).
   */
  readonly validate: (
    input: unknown
  ) => Either.Either<Request, InvalidInputError> | Promise<Either.Either<Request, InvalidInputError>>
  /** The business number a request sends from (what a relay's `allowedFrom` checks). */
  readonly from: (request: Request) => string
  /** The result of a 2xx answer, or `undefined` when it is not the documented success envelope. */
  readonly decodeSuccess: (json: unknown, request: Request) => Answer | undefined
  /** The documented success envelope for a result (what a relay answers with). */
  readonly encodeSuccess: (answer: Answer) => unknown
  /** A successful result for a valid request, without OneRoute: what the testkit's `layerTest` answers. */
  readonly fake: (request: Request, context: FakeContext) => Answer
  /** Span attributes of a request: never personal data (numbers, texts). */
  readonly requestAttributes: (request: Request) => Readonly<Record<string, unknown>>
  /** Span attributes of a result. */
  readonly answerAttributes: (answer: Answer) => Readonly<Record<string, unknown>>
  /** Only for the type: what the method takes before validation. */
  readonly Input?: Input
}

/**
 * Any endpoint.
 *
 * @since 0.2.0
 */
// biome-ignore lint/suspicious/noExplicitAny: the engine and the relay take every endpoint.
export type Any = Endpoint<string, any, any, any>

/**
 * Every endpoint, by method name. Each line's doc comment is the method's, on the `OneRoute`
 * service and on the Promise client.
 *
 * @since 0.4.0
 */
export interface Registry {
  /**
   * Sends a session message (`POST /api/public/conversation/text`), which WhatsApp delivers only
   * within 24 hours of the customer's last message. Validates the input first (nothing is sent
   * for invalid input); fails with the SDK's tagged errors, each saying whether the message may
   * have gone out (`sendOutcome`). Span: `OneRoute.sendSessionMessage`.
   */
  readonly sendSessionMessage: Endpoint<
    "sendSessionMessage",
    SessionMessageRequest.Encoded,
    SessionMessageRequest,
    SessionMessage
  >
  /**
   * Sends a template message (`POST /api/public/conversation/template`, any time: templates need
   * no open window) to 1 to `MAX_TEMPLATE_RECIPIENTS` recipients, and answers one outcome per
   * recipient, in request order, some of which may be `"failed"` or `"unknown"`: check each. An
   * answer without exactly one entry per recipient is an `UnexpectedResponseError`
   * (`sendOutcome: "unknown"`). Span: `OneRoute.sendTemplateMessage`.
   *
   * @since 0.2.0
   */
  readonly sendTemplateMessage: Endpoint<
    "sendTemplateMessage",
    TemplateMessageRequest.Encoded,
    TemplateMessageRequest,
    TemplateMessageResult
  >
  /**
   * Hands a campaign of template messages (`POST /api/public/whatsapp/campaign`, 1 to
   * `MAX_CAMPAIGN_MESSAGES` messages) to OneRoute, which sends them **later**: the result says the
   * campaign was accepted (`campaignId`) and gives each message's `identifier` (yours, or one the
   * SDK generated), never that anything was sent or delivered. Span: `OneRoute.sendCampaign`.
   *
   * @since 0.4.0
   */
  readonly sendCampaign: Endpoint<"sendCampaign", CampaignRequest.Encoded, CampaignRequest, CampaignAccepted>
}

/**
 * The endpoint registry.
 *
 * @since 0.4.0
 */
export const registry: Registry = {
  sendSessionMessage: sessionMessage,
  sendTemplateMessage: templateMessage,
  sendCampaign: campaign
}

/**
 * A method name of the registry (`"sendSessionMessage"`, …).
 *
 * @since 0.4.0
 */
export type Name = keyof Registry

/**
 * What an endpoint's method takes (before validation).
 *
 * @since 0.4.0
 */
// biome-ignore lint/suspicious/noExplicitAny: the request type is invariant; any endpoint matches.
export type InputOf<E> = E extends Endpoint<string, infer Input, any, any> ? Input : never

/**
 * The request an endpoint sends: its input validated and normalised.
 *
 * @since 0.4.0
 */
// biome-ignore lint/suspicious/noExplicitAny: the other types do not matter here.
export type RequestOf<E> = E extends Endpoint<string, any, infer Request, any> ? Request : never

/**
 * What an endpoint's method answers.
 *
 * @since 0.4.0
 */
// biome-ignore lint/suspicious/noExplicitAny: the request type is invariant; any endpoint matches.
export type AnswerOf<E> = E extends Endpoint<string, any, any, infer Answer> ? Answer : never

/**
 * Every endpoint of the {@link registry}, in one list.
 *
 * @since 0.3.0
 */
export const all: ReadonlyArray<Registry[Name]> = Object.values(registry)
