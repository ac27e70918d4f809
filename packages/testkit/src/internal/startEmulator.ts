import type { Emulator, EmulatorClock, EmulatorOptions } from "../Emulator.js"
import { parseFault } from "./emulator/faults.js"
import { createHandler } from "./emulator/handler.js"
import { createCore } from "./emulator/state.js"
import { parseWebhookFault } from "./emulator/webhookConfig.js"
import { listen } from "./nodeHost.js"

const checkPort = (port: unknown): number => {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError("port must be an integer from 0 to 65535")
  }
  return port
}

export const startEmulator = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const port = checkPort(options.port ?? 0)
  const host = options.host ?? "127.0.0.1"
  const core = createCore(options)
  const server = await listen(createHandler(core), { host, port })
  core.url = server.url
  const clock: EmulatorClock = {
    now: () => core.clock.now(),
    advance: (ms) => core.clock.advance(ms),
    set: (date) => core.clock.set(date)
  }
  return {
    url: server.url,
    apiKey: core.apiKey,
    receiveInbound: (input) => core.receiveInbound(input),
    sent: () => core.sent(),
    sentTemplates: () => core.sentTemplates(),
    registerTemplate: (input) => core.registerTemplate(input),
    templates: () => core.templates(),
    inject: (fault) => core.inject(parseFault(fault)),
    campaigns: () => core.campaigns.list(),
    deliverCampaigns: () => core.campaigns.deliverAll(),
    configureWebhook: (webhook) => core.webhooks.configure(webhook),
    webhook: () => core.webhooks.config(),
    injectWebhookFault: (fault) => core.webhooks.inject(parseWebhookFault(fault)),
    webhookDeliveries: () => core.webhooks.deliveries(),
    flushWebhooks: () => core.webhooks.flush(),
    clock,
    reset: () => core.reset(),
    close: () => {
      core.shutdown()
      return server.close()
    },
    requests: () => core.requests()
  }
}
