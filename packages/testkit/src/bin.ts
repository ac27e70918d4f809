#!/usr/bin/env node
import { parseArgs } from "node:util"
import { startEmulator } from "./Emulator.js"
import { DEFAULT_CHANNEL } from "./internal/emulator/constants.js"

/** The environment variable holding the webhook secret (a flag would show it in `ps`). */
const WEBHOOK_SECRET_ENV = "ONEROUTE_EMULATOR_WEBHOOK_SECRET"

const USAGE = `Usage: oneroute-emulator [--port <n>] [--host <addr>] [--api-key <key>] [--channel <number>[=<name>]]...
                         [--allow-origin <origin>]... [--campaign-delay-ms <ms>]
                         [--webhook-url <loopback url>]

Starts the OneRoute API emulator and prints one JSON line { "url", "apiKey", "channels" } to stdout.
Browser pages may call it only from loopback origins (localhost, 127.0.0.1, [::1]), or, once
--allow-origin is given, only from the origins it names (e.g. http://localhost:5173).
--campaign-delay-ms: emulator time between a campaign's 201 and its delivery (default 5000).
--webhook-url: post a signed newMessage webhook there on every inbound message; the secret is
read from ${WEBHOOK_SECRET_ENV}.
Stops on SIGINT/SIGTERM.`

const fail = (message: string): never => {
  process.stderr.write(`oneroute-emulator: ${message}\n\n${USAGE}\n`)
  process.exit(2)
}

const main = async (): Promise<void> => {
  let values: {
    port?: string
    host?: string
    "api-key"?: string
    channel?: Array<string>
    "allow-origin"?: Array<string>
    "campaign-delay-ms"?: string
    "webhook-url"?: string
    help?: boolean
  }
  try {
    values = parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "api-key": { type: "string" },
        channel: { type: "string", multiple: true },
        "allow-origin": { type: "string", multiple: true },
        "campaign-delay-ms": { type: "string" },
        "webhook-url": { type: "string" },
        help: { type: "boolean", short: "h" }
      },
      strict: true,
      allowPositionals: false
    }).values
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error))
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (values.port !== undefined && !/^\d+$/.test(values.port)) fail(`--port must be an integer, got ${values.port}`)
  const channels = values.channel?.map((spec) => {
    const eq = spec.indexOf("=")
    return eq === -1 ? { number: spec } : { number: spec.slice(0, eq), name: spec.slice(eq + 1) }
  })
  const delay = values["campaign-delay-ms"]
  if (delay !== undefined && !/^\d+$/.test(delay)) fail(`--campaign-delay-ms must be an integer, got ${delay}`)
  const webhookUrl = values["webhook-url"]
  const secret = process.env[WEBHOOK_SECRET_ENV]
  if (webhookUrl !== undefined && (secret === undefined || secret === "")) {
    fail(`--webhook-url needs the webhook secret in ${WEBHOOK_SECRET_ENV}`)
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>
  try {
    emulator = await startEmulator({
      port,
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values["api-key"] === undefined ? {} : { apiKey: values["api-key"] }),
      ...(channels === undefined ? {} : { channels }),
      ...(values["allow-origin"] === undefined ? {} : { allowedOrigins: values["allow-origin"] }),
      ...(delay === undefined ? {} : { campaignDelayMs: Number(delay) }),
      ...(webhookUrl === undefined ? {} : { webhook: { url: webhookUrl, secret: secret ?? "" } })
    })
  } catch (error) {
    if (error instanceof TypeError) return fail(error.message)
    throw error
  }
  const connected = (channels ?? [DEFAULT_CHANNEL]).map((c) => ({ number: c.number, name: c.name ?? c.number }))
  process.stdout.write(`${JSON.stringify({ url: emulator.url, apiKey: emulator.apiKey, channels: connected })}\n`)
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}

main().catch((error: unknown) => {
  process.stderr.write(
    `oneroute-emulator: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`
  )
  process.exit(1)
})
