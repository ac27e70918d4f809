/**
 * @oneroute/queue — crash-safe OneRoute campaigns on BullMQ: a ledger per message in Redis makes
 * BullMQ's at-least-once jobs into at-most-once WhatsApp messages.
 *
 * @since 0.1.0
 */
export {
  type CampaignProgress,
  type Campaigns,
  type CampaignsOptions,
  type CampaignWorker,
  type EnqueueInput,
  type EnqueueResult,
  type InvalidRecipient,
  makeCampaigns,
  type OutcomeEvent,
  type ParkedMessage,
  type PostgresPool,
  type Recipient,
  type WorkerOptions
} from "./Campaigns.js"
export { LedgerEntryMissingError, MalformedJobError, NotParkedError, PostgresNotDurableError } from "./errors.js"
export { type FileSource, type RecipientFile, recipientsFromCsv, recipientsFromJsonLines } from "./Files.js"
