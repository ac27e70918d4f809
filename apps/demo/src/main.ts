#!/usr/bin/env node
import { createClient, isOneRouteError } from "@oneroute/node"
import { chooseTarget } from "./environment.js"

const target = await chooseTarget(process.env)
const client = createClient({
  apiKey: target.apiKey,
  ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl })
})
console.log(`Sending a session message through ${target.label}`)
try {
  const message = await client.sendSessionMessage({
    from: target.from,
    to: target.to,
    message: process.argv[2] ?? "Hello from the OneRoute SDK demo"
  })
  console.log("Sent:", {
    id: message.id,
    content: message.content,
    conversationId: message.conversationId,
    createdAt: message.createdAt.toISOString()
  })
} catch (error) {
  if (!isOneRouteError(error)) throw error
  console.error(`${error._tag} (sendOutcome: ${error.sendOutcome}): ${error.message}`)
  process.exitCode = 1
} finally {
  await client.close()
  await target.close()
}
