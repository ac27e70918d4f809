// Cold start: one send with the SDK's Promise API, then exit (the parent times spawn to exit).
import { createClient } from "@oneroute/node"

const client = createClient({ apiKey: "bench-key", baseUrl: process.argv[2] })
await client.sendSessionMessage({ from: "2348000000001", to: "2348012345678", message: "Hello :)" })
process.exit(0)
