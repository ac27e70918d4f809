/**
 * The campaign endpoint (`POST /api/public/whatsapp/campaign`) in plain code: its request
 * validated and normalised as `CampaignRequest` decodes it (property-tested against the schema),
 * an `identifier` generated for every message that has none, and its 201 answer both ways.
 */

import type { CampaignAccepted, CampaignRequest } from "../Campaign.js"
import type { Endpoint } from "../Endpoint.js"
import { cut } from "./answer/shown.js"
import { validating } from "./endpoint.js"
import { isObject } from "./isObject.js"
import { validNumber } from "./sessionEndpoint.js"
import { validRecipient } from "./templateEndpoint.js"

/**
 * The most messages in one `sendCampaign` request. OneRoute documents no bound and recommends one
 * request per campaign; the SDK chooses 10,000 so that a request stays a few megabytes. Larger
 * campaigns go through `@oneroute/queue`.
 *
 * @since 0.4.0
 */
export const MAX_CAMPAIGN_MESSAGES = 10_000

/**
 * The longest message `identifier`, in characters (OneRoute documents none).
 *
 * @since 0.4.0
 */
export const MAX_IDENTIFIER_LENGTH = 128

/** No control characters and not blank: an identifier is looked up later, in logs and URLs. */
const IDENTIFIER = /^[^\p{Cc}]*\S[^\p{Cc}]*$/u

/** Whether `identifier` is usable: 1 to `MAX_IDENTIFIER_LENGTH` characters, not blank, no control characters. */
export const isIdentifier = (identifier: string): boolean =>
  identifier.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER.test(identifier)

/** A fresh identifier for a message the caller gave none: every message can be looked up later. */
export const newIdentifier = (): string => crypto.randomUUID()

/** The request as `CampaignRequest` decodes it (identifiers generated), or `undefined` when the schema would refuse it. */
export const validCampaignRequest = (input: unknown): CampaignRequest | undefined => {
  if (!isObject(input)) return undefined
  const from = validNumber(input.from)
  const { messages } = input
  if (from === undefined || !Array.isArray(messages)) return undefined
  if (messages.length === 0 || messages.length > MAX_CAMPAIGN_MESSAGES) return undefined
  const seen = new Set<string>()
  const normalised: Array<CampaignRequest["messages"][number]> = []
  for (const message of messages as ReadonlyArray<unknown>) {
    const recipient = validRecipient(message)
    if (recipient === undefined || !isObject(message)) return undefined
    // Absent is generated; present must be valid (even `undefined` is not, as in the schema).
    const given = Object.hasOwn(message, "identifier") ? message.identifier : newIdentifier()
    if (typeof given !== "string" || !isIdentifier(given)) return undefined
    const identifier = given
    if (seen.has(identifier)) return undefined
    seen.add(identifier)
    normalised.push({ ...recipient, identifier })
  }
  return { from, messages: normalised } as unknown as CampaignRequest
}

/** The longest `campaignId` taken as one: OneRoute's are UUIDs. */
const MAX_CAMPAIGN_ID_LENGTH = 200

/**
 * The result of OneRoute's `{ data: { campaign_id }, message, success: true }`, or `undefined`
 * when the answer is not that envelope with a non-empty `campaign_id`.
 */
export const decodeCampaignAnswer = (json: unknown, request: CampaignRequest): CampaignAccepted | undefined => {
  if (!isObject(json) || json.success !== true || !isObject(json.data)) return undefined
  const campaignId = json.data.campaign_id
  if (typeof campaignId !== "string" || campaignId.length === 0 || campaignId.length > MAX_CAMPAIGN_ID_LENGTH) {
    return undefined
  }
  return {
    status: "accepted",
    campaignId,
    message: typeof json.message === "string" ? cut(json.message, 500) : "",
    messages: request.messages.map(({ to, identifier }) => ({ to, identifier }))
  }
}

/** The documented envelope for a result (what a relay answers with). */
export const encodeCampaignAnswer = (accepted: CampaignAccepted): unknown => ({
  data: { campaign_id: accepted.campaignId },
  message: accepted.message,
  success: true
})

export const campaign: Endpoint<"sendCampaign", CampaignRequest.Encoded, CampaignRequest, CampaignAccepted> = {
  name: "sendCampaign",
  path: "api/public/whatsapp/campaign",
  // 10,000 messages of about 800 bytes (a template with a few parameters and some metadata).
  maxRelayBodyBytes: 8 * 1024 * 1024,
  validate: validating(validCampaignRequest, () => import("../Campaign.js").then((module) => module.CampaignRequest)),
  from: (request) => request.from,
  decodeSuccess: decodeCampaignAnswer,
  encodeSuccess: encodeCampaignAnswer,
  fake: (request) => ({
    status: "accepted",
    campaignId: crypto.randomUUID(),
    message: "Data received",
    messages: request.messages.map(({ to, identifier }) => ({ to, identifier }))
  }),
  requestAttributes: (request) => ({ "oneroute.campaign.messages": request.messages.length }),
  answerAttributes: (accepted) => ({ "oneroute.campaign.id": accepted.campaignId })
}
