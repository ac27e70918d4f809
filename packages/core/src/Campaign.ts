/**
 * Campaigns (`POST /api/public/whatsapp/campaign`): template messages to many customers in one
 * request, which OneRoute accepts at once and sends later, grouped as one campaign. Each message
 * carries an `identifier` (the SDK generates one when you give none) by which it can be looked up
 * later. The answer only says the campaign was accepted: nothing is sent yet.
 *
 * @since 0.4.0
 */
import * as Schema from "effect/Schema"
import {
  isIdentifier,
  MAX_CAMPAIGN_MESSAGES,
  MAX_IDENTIFIER_LENGTH,
  newIdentifier
} from "./internal/campaignEndpoint.js"
import { WhatsAppNumber } from "./Schemas.js"
import { TemplateRecipient } from "./TemplateMessage.js"

export { MAX_CAMPAIGN_MESSAGES, MAX_IDENTIFIER_LENGTH } from "./internal/campaignEndpoint.js"

/**
 * A message's identifier: 1 to {@link MAX_IDENTIFIER_LENGTH} characters, not blank, no control
 * characters, unique within its campaign.
 *
 * @since 0.4.0
 */
export const MessageIdentifier = Schema.String.pipe(
  Schema.filter(isIdentifier, {
    message: () =>
      `An identifier has 1 to ${MAX_IDENTIFIER_LENGTH} characters, is not blank and has no control characters`
  })
).annotations({ identifier: "MessageIdentifier" })

/**
 * One message of a campaign: a template recipient ({@link TemplateRecipient}: `to`, `template`,
 * `save`, `metadata`) and its `identifier`, generated (a UUID) when left out.
 *
 * @since 0.4.0
 */
export const CampaignMessage = Schema.Struct({
  ...TemplateRecipient.fields,
  identifier: Schema.optionalWith(MessageIdentifier, { exact: true, default: newIdentifier })
}).annotations({ identifier: "CampaignMessage" })

/** @since 0.4.0 */
export interface CampaignMessage extends Schema.Schema.Type<typeof CampaignMessage> {}

/** The index of the first message whose identifier an earlier one already has. */
const repeatedIdentifier = (messages: ReadonlyArray<CampaignMessage>): number => {
  const seen = new Set<string>()
  return messages.findIndex(({ identifier }) => {
    if (seen.has(identifier)) return true
    seen.add(identifier)
    return false
  })
}

/**
 * What `sendCampaign` takes: the business number (`from`) and 1 to {@link MAX_CAMPAIGN_MESSAGES}
 * messages whose identifiers differ. Unknown fields are dropped.
 *
 * @since 0.4.0
 */
export const CampaignRequest = Schema.Struct({
  from: WhatsAppNumber,
  messages: Schema.Array(CampaignMessage).pipe(
    Schema.minItems(1, { message: () => "A campaign needs at least one message in messages" }),
    Schema.maxItems(MAX_CAMPAIGN_MESSAGES, {
      message: (issue) =>
        `A campaign request carries at most ${MAX_CAMPAIGN_MESSAGES} messages, got ${(issue.actual as ReadonlyArray<unknown>).length}; send larger campaigns with @oneroute/queue`
    }),
    Schema.filter((messages) => {
      const index = repeatedIdentifier(messages)
      return index < 0 || { path: [index, "identifier"], message: "Two messages of one campaign have this identifier" }
    })
  )
}).annotations({ identifier: "CampaignRequest" })

/** @since 0.4.0 */
export interface CampaignRequest extends Schema.Schema.Type<typeof CampaignRequest> {}

/** @since 0.4.0 */
export declare namespace CampaignRequest {
  /** The plain input the SDK accepts before normalisation. */
  export type Encoded = Schema.Schema.Encoded<typeof CampaignRequest>
}

/**
 * The answer to `sendCampaign`: OneRoute **accepted** the campaign for sending later (its 201);
 * nothing is known to be sent or delivered yet. `campaignId` is OneRoute's id of the campaign,
 * `messages` each message's number and `identifier` (yours or the generated one), in request
 * order, by which its status can be looked up later.
 *
 * @since 0.4.0
 */
export interface CampaignAccepted {
  /** Accepted for sending: nothing is known to be sent or delivered yet. */
  readonly status: "accepted"
  /** OneRoute's id of the campaign (its `campaign_id`). */
  readonly campaignId: string
  /** OneRoute's `message` (`"Data received"`). */
  readonly message: string
  /** Each message's number and `identifier` (yours or the generated one), in request order. */
  readonly messages: ReadonlyArray<{ readonly to: WhatsAppNumber; readonly identifier: string }>
}
