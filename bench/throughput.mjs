// Steady-state throughput of one client at one concurrency, in a fresh process (run.mjs starts one
// per client per concurrency per round, so no client measures another's garbage or JIT warm-up).
// Prints one JSON line: the windows, each { sends, seconds, cpuUs } (CPU µs of this process).
//
//   node --expose-gc bench/throughput.mjs "<client name>" <baseUrl> <concurrency> <warm-up s> <window s> <windows>
//
// The client sends in batches (`run(batch, concurrency)`, the same batch for every client at a
// concurrency: the Effect clients run one Effect.forEach per batch), and a window ends at the first
// batch end after its seconds, so windows are time-based and every send in one is counted. A failed
// send rejects its batch: the process exits 1 with the error, and the run fails.
import { clientNamed } from "./clients.mjs"

const [name, baseUrl, concurrencyArg, warmupArg, windowArg, windowsArg] = process.argv.slice(2)
const concurrency = Number(concurrencyArg)
// Long enough that the batch's tail (fewer than `concurrency` sends in flight) is a small part of it.
const batch = Math.max(200, concurrency * 50)

const client = await clientNamed(name).make(baseUrl)

const runFor = async (seconds) => {
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9
  let sends = 0
  do {
    await client.run(batch, concurrency)
    sends += batch
  } while (elapsed() < seconds)
  const used = process.cpuUsage(cpu)
  return { sends, seconds: elapsed(), cpuUs: used.user + used.system }
}

// Warm-up: connections opened and the send path compiled before anything is measured. Then one
// collection, so the first window does not pay for the warm-up's garbage; the windows follow back
// to back, each paying for its own.
await runFor(Number(warmupArg))
globalThis.gc?.()
const windows = []
for (let i = 0; i < Number(windowsArg); i++) windows.push(await runFor(Number(windowArg)))
await client.close()
console.log(JSON.stringify({ windows }))
process.exit(0)
