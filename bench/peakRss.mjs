// Peak RSS of one client in a fresh process: 10,000 sends at concurrency 64 (after nothing else),
// then one JSON line with process.resourceUsage().maxRSS in KB.
//
//   node bench/peakRss.mjs "<client name>" <baseUrl> [sends]
import { clientNamed } from "./clients.mjs"

const [name, baseUrl, sends = "10000"] = process.argv.slice(2)
const client = await clientNamed(name).make(baseUrl)
await client.run(Number(sends), 64)
const maxRssKb = process.resourceUsage().maxRSS
await client.close()
console.log(JSON.stringify({ maxRssKb }))
process.exit(0)
