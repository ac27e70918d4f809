/** Serves a web-standard handler on 127.0.0.1 through the adapter's own `toNodeListener`. */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import type { ServedHandler } from "@oneroute/testkit"
import { toNodeListener } from "../../src/index.js"

export const serve = async (handler: Parameters<typeof toNodeListener>[0]): Promise<ServedHandler> => {
  const server = createServer(toNodeListener(handler))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
