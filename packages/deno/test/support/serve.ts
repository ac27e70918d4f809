import type { ServedHandler } from "@oneroute/testkit/conformance"

/** Serves a web-standard handler on 127.0.0.1 with `Deno.serve` (which passes the peer's address). */
export const serve = (
  handler: (request: Request, info: Deno.ServeHandlerInfo) => Promise<Response>
): Promise<ServedHandler> => {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler)
  return Promise.resolve({ url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() })
}
