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
      console.log(
        outcome.status === "sent"
          ? `sent    ${outcome.to}  id ${outcome.messageId}`
          : `failed  ${outcome.to}  ${outcome.detail}`
      )
    }
    const failed = result.outcomes.filter((outcome) => outcome.status === "failed").length
    console.log(`${result.message}: ${result.outcomes.length - failed} sent, ${failed} failed.`)
    return failed === 0 ? 0 : 1
  } catch (error) {
    return reportFailure(error)
  } finally {
    await client.close()
  }
}
