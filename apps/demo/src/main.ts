#!/usr/bin/env node
import { type Command, parseCommand } from "./cli.js"
import { campaign, REAL_CAMPAIGN_REFUSED } from "./commands/campaign.js"
import { send } from "./commands/send.js"
import { sendFile } from "./commands/sendFile.js"
import { sendTemplate } from "./commands/sendTemplate.js"
import { serve } from "./commands/serve.js"
import { chooseTarget, MISSING_DEMO_NUMBERS, type Target, TargetConfigurationError } from "./environment.js"
import { InputFileError } from "./input/row.js"

const DEFAULT_TEXT = "Hello from the OneRoute SDK demo"

type Run = Extract<Command, { kind: "demo" | "send" | "send-file" | "send-template" | "serve" | "campaign" }>

class ConfigurationError extends Error {}

const run = (command: Run, target: Target): Promise<number> => {
  switch (command.kind) {
    case "demo": {
      if (target.from === undefined || target.to === undefined) throw new ConfigurationError(MISSING_DEMO_NUMBERS)
      return send(target, { from: target.from, to: target.to, message: command.message ?? DEFAULT_TEXT })
    }
    case "send": {
      const from = command.from ?? target.from
      if (from === undefined) throw new ConfigurationError("send needs --from (or ONEROUTE_DEMO_FROM)")
      return send(target, { from, to: command.to, message: command.message })
    }
    case "send-file":
      return sendFile(target, command)
    case "send-template": {
      const from = command.from ?? target.from
      if (from === undefined) throw new ConfigurationError("send-template needs --from (or ONEROUTE_DEMO_FROM)")
      return sendTemplate(target, { ...command, from })
    }
    case "serve":
      return serve(target, command.port)
    case "campaign": {
      if (!target.canSimulate && !command.yes) throw new ConfigurationError(REAL_CAMPAIGN_REFUSED)
      if (target.from === undefined)
        throw new ConfigurationError("campaign needs ONEROUTE_DEMO_FROM (your business number)")
      return campaign(target, target.from, command)
    }
  }
}

const main = async (args: ReadonlyArray<string>): Promise<number> => {
  const command = parseCommand(args)
  if (command.kind === "help") {
    process.stdout.write(command.text)
    return 0
  }
  if (command.kind === "usage") {
    console.error(`${command.command}: ${command.message}\nRun \`${command.command} --help\` for usage.`)
    return 2
  }
  let target: Target
  try {
    target = await chooseTarget(process.env)
  } catch (error) {
    if (!(error instanceof TargetConfigurationError)) throw error
    console.error(`oneroute-demo: ${error.message}`)
    return 2
  }
  try {
    return await run(command, target)
  } catch (error) {
    if (!(error instanceof ConfigurationError || error instanceof InputFileError)) throw error
    console.error(`oneroute-demo: ${error.message}`)
    return 2
  } finally {
    await target.close()
  }
}

process.exitCode = await main(process.argv.slice(2))
