// Relay soak: 50,000 distinct Idempotency-Keys at concurrency 32, a fifth of them repeated (some
// while the first is in flight), through a relay in its own process in front of the emulator.
// Checks that no key was sent twice and prints the relay's memory every 5,000 keys.
//
//   node bench/relaySoak.mjs [--keys 50000] [--max-bytes N]     (after `pnpm build`)
import { spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { parseArgs } from "node:util"
import { startEmulator } from "@oneroute/testkit"

const { values } = parseArgs({
  options: { keys: { type: "string", default: "50000" }, "max-bytes": { type: "string" } }
})
const KEYS = Number(values.keys)
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
const url = `http://127.0.0.1:${port}/oneroute/send`
const sample = async () => {
  child.stdin.write("sample\n")
  return JSON.parse((await lines.next()).value)
}

const post = (key) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({ from: "2348000000001", to: "2348012345678", message: key })
  }).then(async (response) => ({ status: response.status, body: await response.text() }))

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
const duplicates = sent.length - new Set(sent.map((message) => message.message)).size
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
process.exit(duplicates === 0 && mismatches === 0 ? 0 : 1)
