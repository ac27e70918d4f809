// Relay soak: 50,000 distinct Idempotency-Keys at concurrency 32, a fifth of them repeated (some
// while the first is in flight), through a relay in its own process in front of the emulator.
// Checks that no key was sent twice and prints the relay's memory every 5,000 keys. It fails (exit
// 1, and a line saying why) when a key was sent twice, when a repeat got another id, when no send
// succeeded, or when more than --max-failed (a share, default 0.001) of the answers were not 200 or
// of the keys never reached the emulator. With --max-bytes the store is meant to fill and refuse,
// so pass a --max-failed that allows it.
//
//   node bench/relaySoak.mjs [--keys 50000] [--max-bytes N] [--max-failed 0.001]   (after `pnpm build`)
import { spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { parseArgs } from "node:util"
import { startEmulator } from "@oneroute/testkit"

const { values } = parseArgs({
  options: {
    keys: { type: "string", default: "50000" },
    "max-bytes": { type: "string" },
    "max-failed": { type: "string", default: "0.001" }
  }
})
const KEYS = Number(values.keys)
const MAX_FAILED = Number(values["max-failed"])
if (!(Number.isInteger(KEYS) && KEYS > 0) || !(MAX_FAILED >= 0 && MAX_FAILED < 1)) {
  console.error("relay soak FAILED: --keys must be a positive integer and --max-failed a share from 0 to below 1")
  process.exit(2)
}
const CONCURRENCY = 32
const SAMPLE_EVERY = 5_000

const emulator = await startEmulator()
emulator.receiveInbound({ from: "2348012345678", to: "2348000000001" })
const child = spawn(process.execPath, ["--expose-gc", new URL("./soakRelay.mjs", import.meta.url).pathname], {
  env: {
    ...process.env,
    ONEROUTE_API_KEY: emulator.apiKey,
    ONEROUTE_BASE_URL: emulator.url,
    ...(values["max-bytes"] === undefined ? {} : { SOAK_MAX_BYTES: values["max-bytes"] })
  },
  stdio: ["pipe", "pipe", "inherit"]
})
const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
const { port } = JSON.parse((await lines.next()).value)
// The relay routes by the endpoint's path below its mount (here the server's root).
const url = `http://127.0.0.1:${port}/oneroute/api/public/conversation/text`
const sample = async () => {
  child.stdin.write("sample\n")
  return JSON.parse((await lines.next()).value)
}

const post = (key) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({ from: "2348000000001", to: "2348012345678", message: key })
  }).then(
    async (response) => ({ status: response.status, body: await response.text() }),
    (error) => ({ status: `error: ${error.cause?.code ?? error.message}`, body: "" })
  )

const firstAnswers = new Map()
const statuses = new Map()
let mismatches = 0
const record = (key, answer) => {
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
  if (answer.status !== 200) return
  const id = JSON.parse(answer.body).data.id
  const first = firstAnswers.get(key)
  if (first === undefined) firstAnswers.set(key, id)
  else if (first !== id) mismatches++
}

const curve = [{ keys: 0, ...(await sample()) }]
const started = performance.now()
let next = 0
let repeats = 0
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < KEYS) {
      const index = next++
      const key = `soak-${index}`
      // A fifth of the keys are sent twice: half of those at once (the first still in flight).
      const repeat = index % 5 === 0
      if (repeat) repeats++
      const answers = await Promise.all(repeat && index % 10 === 0 ? [post(key), post(key)] : [post(key)])
      if (repeat && index % 10 !== 0) answers.push(await post(key))
      for (const answer of answers) record(key, answer)
      if ((index + 1) % SAMPLE_EVERY === 0) curve.push({ keys: index + 1, ...(await sample()) })
    }
  })
)
const seconds = (performance.now() - started) / 1000
const sent = emulator.sent()
const distinct = new Set(sent.map((message) => message.message)).size
const duplicates = sent.length - distinct
child.kill()
await emulator.close()

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1)
console.log(`relay soak: ${KEYS} keys, ${repeats} repeated, concurrency ${CONCURRENCY}, ${seconds.toFixed(1)} s`)
console.log(`answers by status: ${JSON.stringify(Object.fromEntries(statuses))}`)
console.log(
  `upstream copies: ${sent.length}, duplicates: ${duplicates}, repeats answered with another id: ${mismatches}`
)
console.log("keys sent | relay RSS MB | relay heap MB")
for (const point of curve)
  console.log(`${String(point.keys).padStart(9)} | ${mb(point.rss).padStart(12)} | ${mb(point.heapUsed).padStart(13)}`)
// A soak whose sends fail proves nothing: "0 duplicates" of 0 sends is a failure, said out loud.
const answers = [...statuses.values()].reduce((sum, count) => sum + count, 0)
const notOk = answers - (statuses.get(200) ?? 0)
const share = (count, of) => `${((100 * count) / of).toFixed(2)} %`
const problems = []
if ((statuses.get(200) ?? 0) === 0)
  problems.push(`no send succeeded (answers by status: ${JSON.stringify(Object.fromEntries(statuses))})`)
if (notOk > MAX_FAILED * answers)
  problems.push(
    `${notOk} of ${answers} answers were not 200 (${share(notOk, answers)}; at most ${share(MAX_FAILED, 1)} allowed)`
  )
if (KEYS - distinct > MAX_FAILED * KEYS)
  problems.push(`${KEYS - distinct} of ${KEYS} keys never reached the emulator (${share(KEYS - distinct, KEYS)})`)
if (duplicates > 0) problems.push(`${duplicates} keys were sent more than once`)
if (mismatches > 0) problems.push(`${mismatches} repeats were answered with another id`)
if (problems.length > 0) {
  console.error(`relay soak FAILED: ${problems.join("; ")}`)
  process.exit(1)
}
console.log(`relay soak passed: ${distinct} of ${KEYS} keys sent once each, ${notOk} answers not 200`)
process.exit(0)
