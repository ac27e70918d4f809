import { MAX_TEMPLATE_BODY_BYTES, MAX_TEMPLATE_RECIPIENTS, TEMPLATE_PATH } from "./constants.js"
import { json } from "./http.js"
import { externalId } from "./ids.js"
import type { EmulatorCore } from "./state.js"
import { readTemplateRequest, templateProblem } from "./templateMessages.js"
import type { SentTemplate } from "./types.js"

/**
 * Normal handling of the template endpoint (no faults): the checks in the documented order, then
 * 200 with one `data` entry per recipient, `"success"` (recorded) or `"failed"` (not recorded).
 */
export const handleTemplate = async (core: EmulatorCore, request: Request): Promise<Response> => {
  const body = await readTemplateRequest(core, request, {
    path: TEMPLATE_PATH,
    limit: MAX_TEMPLATE_BODY_BYTES,
    maxMessages: MAX_TEMPLATE_RECIPIENTS,
    extra: () => ({})
  })
  if (body instanceof Response) return body
  const { from, messages } = body
  const at = core.clock.now()
  const accepted: Array<SentTemplate> = []
  const data = messages.map((recipient) => {
    const problem = templateProblem(core, from, recipient)
    if (problem !== undefined) return { status: "failed", response: problem }
    const id = externalId()
    accepted.push({
      id,
      from,
      to: recipient.to,
      template: { name: recipient.name, parameters: recipient.parameters, buttons: recipient.buttons },
      ...(recipient.save === undefined ? {} : { save: recipient.save }),
      ...(recipient.metadata === undefined ? {} : { metadata: recipient.metadata }),
      at
    })
    return { status: "success", response: id }
  })
  const response = json(200, { data, message: "Message sent to customer", success: true })
  for (const message of accepted) core.recordTemplate(message)
  return response
}
