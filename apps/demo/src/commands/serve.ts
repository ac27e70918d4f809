import { once } from "node:events"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { consoleListener, WEBHOOK_PATH } from "../console/server.js"
import type { Target } from "../environment.js"

/** Runs the web console until SIGINT/SIGTERM; prints its URL first. */
export const serve = async (target: Target, port: number): Promise<number> => {
  const server = createServer()
  server.listen(port, "127.0.0.1")
  await once(server, "listening")
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { listener, close } = consoleListener(target, origin)
  server.on("request", listener)
  target.webhook?.deliverTo(`${origin}${WEBHOOK_PATH}`)
  console.log(`Console at ${origin} (sending through ${target.label})`)
  console.log(
    target.webhook === undefined
      ? "No webhooks: set ONEROUTE_WEBHOOK_SECRET to show customers' messages as they arrive"
      : `Webhooks received at ${origin}${WEBHOOK_PATH}`
  )
  await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")])
  server.closeAllConnections()
  server.close()
  await close()
  return 0
}
