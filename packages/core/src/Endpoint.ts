/**
 * An endpoint as a value: its path, how its input is validated, how its success answer is
 * decoded and encoded, and its span. The send engine, the Promise client, the `OneRoute`
 * service, the relay and the emulator all take endpoints, so a new OneRoute operation is one
 * more value of this kind.
 *
 * @since 0.2.0
 */
import type * as Either from "effect/Either"
import type { InvalidInputError } from "./Errors.js"
import * as internal from "./internal/endpoints.js"
import type { SessionMessage, SessionMessageRequest } from "./Schemas.js"
import type { TemplateMessageRequest } from "./TemplateMessage.js"
import type { TemplateMessageResult } from "./TemplateResult.js"

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
 * `POST /api/public/conversation/text`: a session message.
 *
 * @since 0.2.0
 */
export const sessionMessage: Endpoint<
  "sendSessionMessage",
  SessionMessageRequest.Encoded,
  SessionMessageRequest,
  SessionMessage
> = internal.sessionMessage

/**
 * `POST /api/public/conversation/template`: a template message to 1 to
 * `MAX_TEMPLATE_RECIPIENTS` recipients, answered with one outcome per recipient. A 2xx whose
 * `data` does not hold exactly one entry per recipient decodes as nothing (an
 * `UnexpectedResponseError`, `sendOutcome: "unknown"`): the SDK cannot tell who got what.
 *
 * @since 0.2.0
 */
export const templateMessage: Endpoint<
  "sendTemplateMessage",
  TemplateMessageRequest.Encoded,
  TemplateMessageRequest,
  TemplateMessageResult
> = internal.templateMessage

/**
 * Every endpoint, in one list: the relay's routes and the testkit's hostile suite are derived
 * from it, so an endpoint added here gets both without a line of its own.
 *
 * @since 0.3.0
 */
export const all: readonly [typeof sessionMessage, typeof templateMessage] = internal.all
