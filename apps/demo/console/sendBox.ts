/** The send box's one action: a session message while the window may be open, a template when it is closed. */
import type { createClient, SessionMessage, TemplateOutcome } from "@oneroute/browser"
import type { WindowWire } from "../src/console/wire.js"

type Client = ReturnType<typeof createClient>

/** What the agent filled in, for one customer. */
export interface BoxInput {
  readonly from: string
  readonly to: string
  readonly window: WindowWire
  readonly message: string
  readonly template: {
    readonly name: string
    readonly parameters: ReadonlyArray<string>
    readonly buttons: ReadonlyArray<string>
  }
}

/** What went out: the shape of `sendSessionOrTemplate`'s result, so the box can switch to it. */
export type BoxResult =
  | { readonly via: "session"; readonly message: SessionMessage }
  | { readonly via: "template"; readonly outcome: TemplateOutcome }

/**
 * Sends exactly one message. A known-closed window gets the template; otherwise the session
 * message, and a `window-closed` refusal is shown to the agent (who then picks a template and its
 * fields) rather than followed by a template the agent has not seen.
 */
export const sendFromBox = async (client: Client, input: BoxInput): Promise<BoxResult> => {
  const { from, to, window, message, template } = input
  if (window.state !== "closed") {
    return { via: "session", message: await client.sendSessionMessage({ from, to, message }) }
  }
  const result = await client.sendTemplateMessage({
    from,
    messages: [
      {
        to,
        template: {
          name: template.name,
          parameters: template.parameters.map((text) => ({ type: "text" as const, text })),
          ...(template.buttons.length > 0
            ? { buttons: template.buttons.map((text) => ({ type: "text" as const, text })) }
            : {})
        }
      }
    ]
  })
  // One recipient, one outcome (the client checks the count).
  return { via: "template", outcome: result.outcomes[0] as TemplateOutcome }
}
