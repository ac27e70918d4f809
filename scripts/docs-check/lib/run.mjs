// Runs the runnable blocks (```ts run) against the emulator of @oneroute/testkit, as a reader
// would after the README's "Try it on the emulator": ONEROUTE_BASE_URL and ONEROUTE_API_KEY point
// at it, and every customer number in the block has written to the business numbers first (a
// session message needs an open window), unless the block is marked `closed-window` (an example of
// the template fallback). Node blocks run with Node (types erased), Deno blocks
// with `deno run`. A block passes when it exits 0 within the time limit, writes nothing to stderr,
// and, if it sends, at least one message reached the emulator.
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { denoBin, denoEnv, writeDenoBlocks } from "./deno.mjs"
import { runProcess } from "./process.mjs"
import { transpile } from "./typecheck.mjs"

/** The business numbers the examples send from: the emulator's default channel and a second one. */
const CHANNELS = [{ number: "2348000000001" }, { number: "2348000000002" }]
const RUN_TIMEOUT_MS = 30_000

/** The customer numbers a block names: quoted strings of 8 to 15 digits once spaces, dashes and `+` go. */
const customersOf = (code) => {
  const channels = new Set(CHANNELS.map((channel) => channel.number))
  const numbers = [...code.matchAll(/["'`](\+?[\d ()\-.]{8,24})["'`]/g)].map(([, text]) =>
    (text ?? "").replace(/[^\d]/g, "")
  )
  return [...new Set(numbers)].filter((number) => /^[1-9]\d{7,14}$/.test(number) && !channels.has(number))
}

/** Whether the block sends to the emulator this check started (not to one of its own, nor to `layerTest`). */
const sendsHere = (code) =>
  /\bsend[A-Z]\w*\(/.test(code) && !/\b(startEmulator|createEmulatorHandler|layerTest)\b/.test(code)

/** Starts the emulator, runs `blocks` one after another, and returns the problems of each block. */
export const runBlocks = async (packageDir, blocks) => {
  const problems = new Map(blocks.map((block) => [block.id, []]))
  if (blocks.length === 0) return problems
  const { startEmulator } = await import(join(packageDir, "node_modules/@oneroute/testkit/dist/index.js"))
  const emulator = await startEmulator({ channels: CHANNELS })
  const env = {
    ...process.env,
    ONEROUTE_BASE_URL: emulator.url,
    ONEROUTE_API_KEY: emulator.apiKey,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost"
  }
  const nodeDir = join(packageDir, ".blocks/run")
  rmSync(nodeDir, { recursive: true, force: true })
  mkdirSync(nodeDir, { recursive: true })
  const denoPaths = writeDenoBlocks(
    packageDir,
    blocks.filter((block) => block.deno)
  )
  try {
    for (const block of blocks) {
      emulator.reset()
      const customers = block.flags.has("closed-window") ? [] : customersOf(block.code)
      for (const customer of customers) {
        for (const channel of CHANNELS) emulator.receiveInbound({ from: customer, to: channel.number })
      }
      let command = process.execPath
      let args
      if (block.deno) {
        command = denoBin(packageDir)
        const allowEnv = "--allow-env=ONEROUTE_API_KEY,ONEROUTE_BASE_URL,ONEROUTE_TIMEOUT"
        args = ["run", "--quiet", "--allow-net=127.0.0.1", allowEnv, denoPaths.get(block.id)]
      } else {
        const path = join(nodeDir, `${block.id}.mjs`)
        writeFileSync(path, transpile(block))
        args = [path]
      }
      const result = await runProcess(command, args, {
        cwd: packageDir,
        env: block.deno ? { ...denoEnv(packageDir), ...env } : env,
        timeoutMs: RUN_TIMEOUT_MS
      })
      // A campaign reaches the emulator as an accepted campaign; its messages go out later.
      const delivered = emulator.sent().length + emulator.sentTemplates().length + emulator.campaigns().length
      const found = problems.get(block.id) ?? []
      const output = `${result.stdout}${result.stderr}`.trim().split("\n").slice(-20).join("\n")
      if (result.timedOut) found.push(`${block.where}: did not end within ${RUN_TIMEOUT_MS / 1000} s`)
      else if (result.code !== 0) found.push(`${block.where}: exited ${result.code}:\n${output}`)
      else if (result.stderr.trim() !== "") found.push(`${block.where}: wrote to stderr:\n${output}`)
      else if (sendsHere(block.code) && delivered === 0) {
        found.push(`${block.where}: exited 0, but no message reached the emulator:\n${output}`)
      }
    }
  } finally {
    await emulator.close()
  }
  return problems
}
