import * as Either from "effect/Either"
import type { Endpoint } from "../Endpoint.js"
import type { InvalidInputError } from "../Errors.js"
import type { SessionMessage, SessionMessageRequest } from "../Schemas.js"
import type { TemplateMessageRequest } from "../TemplateMessage.js"
import type { TemplateMessageResult } from "../TemplateResult.js"
import { decodeSessionAnswer, encodeSessionAnswer, validSessionRequest } from "./sessionEndpoint.js"
import { decodeTemplateAnswer, encodeTemplateAnswer, validTemplateRequest } from "./templateEndpoint.js"

/**
 * A validator that answers valid input in plain code and asks the schema (loaded on first need)
 * about the rest: its verdict, with every issue's message.
 */
const validateWith =
  <Request>(valid: (input: unknown) => Request | undefined, schema: "sessionMessage" | "templateMessage") =>
  (input: unknown): Either.Either<Request, InvalidInputError> | Promise<Either.Either<Request, InvalidInputError>> => {
    const request = valid(input)
    if (request !== undefined) return Either.right(request)
    return import("./schemaValidators.js").then(
      (validators) => validators[schema](input) as Either.Either<Request, InvalidInputError>
    )
  }

export const sessionMessage: Endpoint<
  "sendSessionMessage",
  SessionMessageRequest.Encoded,
  SessionMessageRequest,
  SessionMessage
> = {
  name: "sendSessionMessage",
  path: "api/public/conversation/text",
  // A 4096-character message, every character JSON-escaped (6 bytes), and the numbers.
  maxRelayBodyBytes: 32 * 1024,
  validate: validateWith(validSessionRequest, "sessionMessage"),
  from: (request) => request.from,
  decodeSuccess: decodeSessionAnswer,
  encodeSuccess: encodeSessionAnswer,
  requestAttributes: (request) => ({ "oneroute.message.length": request.message.length }),
  answerAttributes: (message) => ({ "oneroute.message.id": message.id })
}

export const templateMessage: Endpoint<
  "sendTemplateMessage",
  TemplateMessageRequest.Encoded,
  TemplateMessageRequest,
  TemplateMessageResult
> = {
  name: "sendTemplateMessage",
  path: "api/public/conversation/template",
  // 100 recipients with 10 parameters of 1,024 characters and 4 KiB of metadata each.
  maxRelayBodyBytes: 2 * 1024 * 1024,
  validate: validateWith(validTemplateRequest, "templateMessage"),
  from: (request) => request.from,
  decodeSuccess: decodeTemplateAnswer,
  encodeSuccess: encodeTemplateAnswer,
  requestAttributes: (request) => ({ "oneroute.template.recipients": request.messages.length }),
  answerAttributes: (result) => {
    let sent = 0
    for (const outcome of result.outcomes) if (outcome.status === "sent") sent++
    let failed = 0
    for (const outcome of result.outcomes) if (outcome.status === "failed") failed++
    return {
      "oneroute.template.sent": sent,
      "oneroute.template.failed": failed,
      "oneroute.template.unknown": result.outcomes.length - sent - failed
    }
  }
}

/** Every endpoint the SDK knows, in one list: what the relay routes and the hostile suite runs. */
export const all = [sessionMessage, templateMessage] as const
