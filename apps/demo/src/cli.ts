import { parseArgs } from "node:util"

/** What the command line asks for. Parsing never starts the emulator or touches the network. */
export type Command =
  | { readonly kind: "demo"; readonly message: string | undefined }
  | { readonly kind: "send"; readonly from: string | undefined; readonly to: string; readonly message: string }
  | {
      readonly kind: "send-file"
      readonly path: string
      readonly from: string | undefined
      readonly concurrency: number
    }
  | {
      readonly kind: "send-template"
      readonly from: string | undefined
      readonly to: ReadonlyArray<string>
      readonly template: string
      readonly parameters: ReadonlyArray<string>
      readonly buttons: ReadonlyArray<string>
    }
  | { readonly kind: "serve"; readonly port: number }
  | {
      readonly kind: "campaign"
      readonly file: string | undefined
      readonly size: number | undefined
      readonly yes: boolean
    }
  | { readonly kind: "help"; readonly text: string }
  /** A usage error: `message` says what is wrong, `command` which `--help` to read. */
  | { readonly kind: "usage"; readonly message: string; readonly command: string }

export const MAIN_HELP = `Usage:
  oneroute-demo [<message>]     send one demo message (the default)
  oneroute-demo send ...        send one message, or many from a file (see oneroute-demo send --help)
  oneroute-demo send-template ...
                                send a template message, also outside the 24-hour window
                                (see oneroute-demo send-template --help)
  oneroute-demo serve [--port <n>]
                                the web console on http://127.0.0.1:<n> (default 3000, 0 picks a free
                                port): send from a browser page through the relay, see typed results
  oneroute-demo campaign [--file <path.csv> | --size <n>]
                                a campaign through @oneroute/queue on a local redis-server
                                (see oneroute-demo campaign --help)

Options:
  -h, --help                    show this help

Runs against an embedded OneRoute emulator unless ONEROUTE_API_KEY is set (then ONEROUTE_BASE_URL,
ONEROUTE_DEMO_FROM and ONEROUTE_DEMO_TO are read too).
Exit codes: 0 everything was sent, 1 a send failed, 2 a usage error.
`

export const SEND_HELP = `Usage:
  oneroute-demo send --to <number> --message <text> [--from <number>]
  oneroute-demo send --file <path.csv|path.jsonl> [--concurrency <n>] [--from <number>]

Options:
  --to <number>          the customer's WhatsApp number
  --message <text>       the text to send
  --from <number>        your business number; the default for file rows without one
                         (default: the emulator's channel, or ONEROUTE_DEMO_FROM)
  --file <path>          CSV with a header row to,message[,from], or JSON Lines of
                         { "to", "message", "from"? } objects
  --concurrency <n>      sends in flight at most, 1 to 32 (default 4; --file only)
  -h, --help             show this help

With --file, each row's outcome is one JSON line on stdout; progress and a summary go to stderr.
Exit codes: 0 everything was sent, 1 a send failed, 2 a usage error.
`

export const SEND_TEMPLATE_HELP = `Usage:
  oneroute-demo send-template --to <number> [--to <number>]... --template <name>
                              [--param <text>]... [--button <text>]... [--from <number>]

Options:
  --to <number>          a customer's WhatsApp number; repeat for several recipients (at most 100)
  --template <name>      the template's name (lowercase letters, digits and underscores)
  --param <text>         a parameter, in placeholder order; repeat for each
  --button <text>        a button's text (an authentication template's code); repeat for each
  --from <number>        your business number (default: the emulator's channel, or ONEROUTE_DEMO_FROM)
  -h, --help             show this help

Templates need no open 24-hour window. The embedded emulator has first_welcome_messsage (1 param),
hello_world (none), order_update (2 params) and otp_code (1 param, 1 button).
Prints one line per recipient: sent with its message id, or failed with what OneRoute said.
Exit codes: 0 every recipient was sent, 1 a send or a recipient failed, 2 a usage error.
`

const MAX_CAMPAIGN_SIZE = 100_000

export const CAMPAIGN_HELP = `Usage:
  oneroute-demo campaign [--file <path.csv> | --size <n>] [--yes]

Options:
  --file <path.csv>      the recipients: a header row with to, and message or template with
                         parameters (texts separated by |); optional key, fallback_template,
                         fallback_parameters (default: apps/demo/examples/campaign.csv, 50 rows)
  --size <n>             instead of a file, n generated customers with a session message
                         (1 to ${MAX_CAMPAIGN_SIZE})
  --yes                  needed with ONEROUTE_API_KEY set: a campaign sends real WhatsApp messages
  -h, --help             show this help

Starts Debian's redis-server on a free loopback port (keeping nothing on disk: a demo, not a
durable campaign), queues the recipients with @oneroute/queue, runs one worker in this process
until nothing is pending, prints the totals and the parked messages, and stops redis-server.
Without redis-server on PATH it says how to install it and exits with 0.
Exit codes: 0 every recipient was sent, 1 some were not, 2 a usage error.
`

const DEFAULT_CONCURRENCY = 4
const MAX_CONCURRENCY = 32

const usage = (message: string, command: string): Command => ({ kind: "usage", message, command })

const parseDemo = (args: ReadonlyArray<string>): Command => {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { help: { type: "boolean", short: "h" } },
    allowPositionals: true
  })
  if (values.help) return { kind: "help", text: MAIN_HELP }
  if (positionals.length > 1) return usage("expected at most one argument, the message text: quote it", "oneroute-demo")
  return { kind: "demo", message: positionals[0] }
}

const parseSend = (args: ReadonlyArray<string>): Command => {
  const { values } = parseArgs({
    args: [...args],
    options: {
      from: { type: "string" },
      to: { type: "string" },
      message: { type: "string" },
      file: { type: "string" },
      concurrency: { type: "string" },
      help: { type: "boolean", short: "h" }
    }
  })
  if (values.help) return { kind: "help", text: SEND_HELP }
  const { from, to, message, file, concurrency } = values
  if (file !== undefined) {
    if (to !== undefined || message !== undefined)
      return usage("--file takes the numbers and texts from the file: drop --to and --message", "oneroute-demo send")
    const count = concurrency === undefined ? DEFAULT_CONCURRENCY : Number(concurrency)
    if (!Number.isInteger(count) || count < 1 || count > MAX_CONCURRENCY)
      return usage(
        `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got ${concurrency})`,
        "oneroute-demo send"
      )
    return { kind: "send-file", path: file, from, concurrency: count }
  }
  if (concurrency !== undefined) return usage("--concurrency only applies with --file", "oneroute-demo send")
  if (to === undefined || message === undefined)
    return usage("send needs --to and --message (or --file for many messages)", "oneroute-demo send")
  return { kind: "send", from, to, message }
}

const parseSendTemplate = (args: ReadonlyArray<string>): Command => {
  const { values } = parseArgs({
    args: [...args],
    options: {
      from: { type: "string" },
      to: { type: "string", multiple: true },
      template: { type: "string" },
      param: { type: "string", multiple: true },
      button: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" }
    }
  })
  if (values.help) return { kind: "help", text: SEND_TEMPLATE_HELP }
  const { from, to, template } = values
  if (to === undefined || template === undefined)
    return usage("send-template needs --to and --template", "oneroute-demo send-template")
  return { kind: "send-template", from, to, template, parameters: values.param ?? [], buttons: values.button ?? [] }
}

const parseServe = (args: ReadonlyArray<string>): Command => {
  const { values } = parseArgs({
    args: [...args],
    options: { port: { type: "string" }, help: { type: "boolean", short: "h" } }
  })
  if (values.help) return { kind: "help", text: MAIN_HELP }
  const port = values.port === undefined ? 3000 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return usage(`--port must be a whole number from 0 to 65535 (got ${values.port})`, "oneroute-demo serve")
  return { kind: "serve", port }
}

const parseCampaign = (args: ReadonlyArray<string>): Command => {
  const { values } = parseArgs({
    args: [...args],
    options: {
      file: { type: "string" },
      size: { type: "string" },
      yes: { type: "boolean" },
      help: { type: "boolean", short: "h" }
    }
  })
  if (values.help) return { kind: "help", text: CAMPAIGN_HELP }
  if (values.file !== undefined && values.size !== undefined)
    return usage("give --file or --size, not both", "oneroute-demo campaign")
  const size = values.size === undefined ? undefined : Number(values.size)
  if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > MAX_CAMPAIGN_SIZE))
    return usage(
      `--size must be a whole number from 1 to ${MAX_CAMPAIGN_SIZE} (got ${values.size})`,
      "oneroute-demo campaign"
    )
  return { kind: "campaign", file: values.file, size, yes: values.yes === true }
}

const parsers: Readonly<Record<string, (args: ReadonlyArray<string>) => Command>> = {
  send: parseSend,
  "send-template": parseSendTemplate,
  serve: parseServe,
  campaign: parseCampaign
}

/** Parses `process.argv.slice(2)`. Unknown flags and bad values become a "usage" command (exit code 2). */
export const parseCommand = (args: ReadonlyArray<string>): Command => {
  const sub = args[0] !== undefined && Object.hasOwn(parsers, args[0]) ? args[0] : undefined
  const command = sub === undefined ? "oneroute-demo" : `oneroute-demo ${sub}`
  try {
    return sub === undefined
      ? parseDemo(args)
      : (parsers[sub] as (args: ReadonlyArray<string>) => Command)(args.slice(1))
  } catch (error) {
    // parseArgs throws TypeErrors with a code (unknown option, missing value, stray argument).
    if (error instanceof TypeError && "code" in error) return usage(error.message, command)
    throw error
  }
}
