import type { CampaignMessageInput } from "./campaigns.js"
import { CAMPAIGN_PATH, MAX_CAMPAIGN_BODY_BYTES, MAX_CAMPAIGN_MESSAGES, MAX_IDENTIFIER_LENGTH } from "./constants.js"
import { EmulatorLimitError } from "./errors.js"
import { json } from "./http.js"
import type { EmulatorCore } from "./state.js"
import { bad, readTemplateRequest, string } from "./templateMessages.js"

/** A message's `identifier`: given (a string of 1 to 256 characters), or left out (generated). */
const identifier = (message: Record<string, unknown>): { identifier: string | undefined } => {
  if (message.identifier === undefined) return { identifier: undefined }
  const value = string(message.identifier, "identifier")
  if (value.length === 0) bad('"identifier" is not allowed to be empty')
  if (value.length > MAX_IDENTIFIER_LENGTH) {
    bad(`"identifier" length must be less than or equal to ${MAX_IDENTIFIER_LENGTH} characters long`)
  }
  return { identifier: value }
}

/** Two messages of one campaign must not share an identifier (in the style of OneRoute's 400s). */
const distinctIdentifiers = (messages: ReadonlyArray<{ readonly identifier: string | undefined }>): void => {
  const seen = new Map<string, number>()
  messages.forEach((message, index) => {
    if (message.identifier === undefined) return
    const first = seen.get(message.identifier)
    if (first !== undefined)
      bad(`"messages[${index}]" contains a duplicate value (the identifier of messages[${first}])`)
    seen.set(message.identifier, index)
  })
}

/**
 * Normal handling of the campaign endpoint (no faults): the template endpoint's checks, each
 * message's `identifier`, then 201 `{ data: { campaign_id }, message: "Data received" }`. The
 * messages are delivered later (see `Campaigns`); a template problem fails its message then.
 */
export const handleCampaign = async (core: EmulatorCore, request: Request): Promise<Response> => {
  const body = await readTemplateRequest(core, request, {
    path: CAMPAIGN_PATH,
    limit: MAX_CAMPAIGN_BODY_BYTES,
    maxMessages: MAX_CAMPAIGN_MESSAGES,
    extra: identifier,
    whole: distinctIdentifiers
  })
  if (body instanceof Response) return body
  const messages = body.messages.map(
    (message): CampaignMessageInput => ({
      identifier: message.identifier ?? crypto.randomUUID(),
      identifierSource: message.identifier === undefined ? "emulator" : "caller",
      to: message.to,
      template: { name: message.name, parameters: message.parameters, buttons: message.buttons },
      ...(message.save === undefined ? {} : { save: message.save }),
      ...(message.metadata === undefined ? {} : { metadata: message.metadata })
    })
  )
  try {
    const campaign = core.campaigns.accept(body.from, messages)
    return json(201, { data: { campaign_id: campaign.id }, message: "Data received", success: true })
  } catch (error) {
    if (!(error instanceof EmulatorLimitError)) throw error
    return json(409, { data: { limit: error.limit, max: error.max }, message: error.message, success: false })
  }
}
