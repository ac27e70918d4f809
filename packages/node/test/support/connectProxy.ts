import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { connect, type Socket } from "node:net"

/** A tiny real HTTP proxy on loopback that only tunnels (`CONNECT host:port`), recording each tunnel's target. */
export interface ConnectProxy {
  readonly url: string
  /** The `host:port` of every `CONNECT`, in order. */
  readonly tunnels: Array<string>
  readonly close: () => Promise<void>
}

export const startConnectProxy = async (): Promise<ConnectProxy> => {
  const tunnels: Array<string> = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((_request, response) => {
    // Plain forwarding is not offered: a client that does not tunnel fails visibly.
    response.writeHead(405, { "content-type": "text/plain" }).end("CONNECT only")
  })
  server.on("connect", (request, client: Socket, head: Buffer) => {
    const target = request.url ?? ""
    tunnels.push(target)
    const separator = target.lastIndexOf(":")
    const host = target.slice(0, separator).replace(/^\[|\]$/g, "")
    const port = Number(target.slice(separator + 1))
    const upstream = connect(port, host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    }
    upstream.on("error", () => client.destroy())
    client.on("error", () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
