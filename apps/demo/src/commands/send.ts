import { clientFor, type Target } from "../environment.js"
import { reportFailure } from "./failure.js"

export interface SendRequest {
  readonly from: string
  readonly to: string
  readonly message: string
}

/** Sends one message and prints it, or prints the typed error. Returns the exit code. */
export const send = async (target: Target, request: SendRequest): Promise<number> => {
  target.openWindow(request.to, request.from)
  const client = clientFor(target)
  console.log(`Sending a session message through ${target.label}`)
  try {
    const message = await client.sendSessionMessage(request)
    console.log("Sent:", {
      id: message.id,
      content: message.content,
      conversationId: message.conversationId,
      createdAt: message.createdAt.toISOString()
    })
    return 0
  } catch (error) {
    return reportFailure(error)
  } finally {
    await client.close()
  }
}
