// Cold start: one send with raw undici, then exit (the parent times spawn to exit).
import { request } from "undici"

const response = await request(`${process.argv[2]}/api/public/conversation/text`, {
  method: "POST",
  headers: { apiKey: "bench-key", "content-type": "application/json" },
  body: JSON.stringify({ from: "2348000000001", to: "2348012345678", message: "Hello :)" })
})
await response.body.json()
// A failed send fails the measurement, with a line the parent shows.
if (response.statusCode !== 200) console.error(`Error: HTTP ${response.statusCode}`)
// Exit at once, as every cold-start script does: an idle keep-alive socket must not be timed.
process.exit(response.statusCode === 200 ? 0 : 1)
