/**
 * @oneroute/core — the runtime-independent OneRoute SDK. This entry is what Promise users load:
 * errors, endpoints, options and client types, with no Effect runtime and no `effect/Schema`
 * (a valid send never loads them). The Effect API is `@oneroute/core/effect`, the schemas
 * `@oneroute/core/schema`; what adapters are built from, `@oneroute/core/adapter`.
 *
 * @since 0.1.0
 */

export type { CampaignAccepted, CampaignMessage, CampaignRequest } from "./Campaign.js"
export * from "./ConversationWindows.js"
export * as Endpoint from "./Endpoint.js"
export * from "./Errors.js"
export { MAX_CAMPAIGN_MESSAGES, MAX_IDENTIFIER_LENGTH } from "./internal/campaignEndpoint.js"
export { MAX_MESSAGE_LENGTH } from "./internal/limits.js"
export * from "./OneRouteClient.js"
export * from "./Options.js"
export * from "./Relay.js"
export type {
  SessionMessage,
  SessionMessageRequest,
  WhatsAppNumber
} from "./Schemas.js"
export type {
  Template,
  TemplateMessageRequest,
  TemplateParameter,
  TemplateRecipient
} from "./TemplateMessage.js"
export * from "./TemplateResult.js"
export * from "./Webhook.js"
