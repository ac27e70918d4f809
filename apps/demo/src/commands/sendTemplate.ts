import { clientFor, type Target } from "../environment.js"
import { reportFailure } from "./failure.js"

export interface SendTemplateRequest {
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly template: string
  readonly parameters: ReadonlyArray<string>
  readonly buttons: ReadonlyArray<string>
}

const asTexts = (texts: ReadonlyArray<string>) => texts.map((text) => ({ type: "text" as const, text }))

/**
 * Sends one template message to every `--to` and prints one line per recipient (sent with its id,
 * or failed with what OneRoute said), or the typed error. Returns the exit code: 0 only when every
 * recipient was sent.
 */
export const sendTemplate = async (target: Target, request: SendTemplateRequest): Promise<number> => {
  const client = clientFor(target)
  const template = {
    name: request.template,
    parameters: asTexts(request.parameters),
    ...(request.buttons.length === 0 ? {} : { buttons: asTexts(request.buttons) })
  }
  console.log(`Sending template ${JSON.stringify(request.template)} through ${target.label}`)
  try {
    const result = await client.sendTemplateMessage({
      from: request.from,
      messages: request.to.map((to) => ({ to, template }))
    })
    for (const outcome of result.outcomes) {
      if (outcome.status === "sent") console.log(`sent     ${outcome.to}  id ${outcome.messageId}`)
      else if (outcome.status === "failed") console.log(`failed   ${outcome.to}  ${outcome.detail}`)
      else console.log(`unknown  ${outcome.to}  ${outcome.detail} (check before resending)`)
    }
    const failed = result.outcomes.filter((outcome) => outcome.status !== "sent").length
    const unknown = result.outcomes.filter((outcome) => outcome.status === "unknown").length
    const sent = result.outcomes.length - failed
    console.log(`${result.message}: ${sent} sent, ${failed - unknown} failed, ${unknown} unknown.`)
    return failed === 0 ? 0 : 1
  } catch (error) {
    return reportFailure(error)
  } finally {
    await client.close()
  }
}
