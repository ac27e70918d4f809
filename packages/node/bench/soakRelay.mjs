// The relay under soak, in its own process so its memory is its own: ONEROUTE_API_KEY and
// ONEROUTE_BASE_URL point at the parent's emulator. Prints its port, then a memory sample
// (after a full GC) on every "sample" line it reads on stdin.
import { createServer } from "node:http"
import { createInterface } from "node:readline"
import { IdempotencyStore, relayHandler, toNodeListener } from "../dist/index.js"

// SOAK_MAX_BYTES: a smaller store, to see the memory level off where it starts refusing.
const maxBytes = process.env.SOAK_MAX_BYTES === undefined ? undefined : Number(process.env.SOAK_MAX_BYTES)
const relay = relayHandler({
  ...(maxBytes === undefined ? {} : { idempotencyStore: IdempotencyStore.makeMemory({ maxBytes }) }),
  allowedFrom: ["2348000000001"],
  authorize: () => true,
  publicUrl: "http://127.0.0.1",
  retry: false
})
const server = createServer(toNodeListener(relay))
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })))
createInterface({ input: process.stdin }).on("line", () => {
  globalThis.gc?.()
  const { rss, heapUsed } = process.memoryUsage()
  console.log(JSON.stringify({ rss, heapUsed }))
})
