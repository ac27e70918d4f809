/**
 * What the webhook tests share: signatures computed independently of the SDK (node:crypto, not
 * Web Crypto), OneRoute's documented `newMessage` payload, and a node:http host for a web handler
 * that passes the peer's address as `Deno.serve` does.
 */
import { createHmac } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Readable } from "node:stream"
import type { WebhookHandler } from "../src/Webhook.js"

export const SECRET = "whsec-test-0123456789"

/** Hex HMAC-SHA512 of `body` under `secret`, as OneRoute's sample computes it. */
export const sign = (body: string | Uint8Array, secret = SECRET): string =>
  createHmac("sha512", secret).update(body).digest("hex")

/** OneRoute's documented `newMessage` example, completed where the docs cut it off. */
export const documentedNewMessage = (overrides: { content?: string; lastMessageAt?: string } = {}) => ({
  event: "newMessage",
  message: {
    sender: { name: "Ada Customer", authUser: false, lastActivity: "2026-12-06T10:00:00.000Z" },
    externalId: "wamid.HBgNMjM0ODAxMjM0NTY3OA",
    content: overrides.content ?? "Hello, is my order on its way?",
    contentType: "TEXT",
    imageUrl: null,
    videoUrl: null,
    documentUrl: null,
    audioUrl: null,
    quoted_message_id: null,
    conversation_id: "conv-123"
  },
  conversation: {
    id: "conv-123",
    subject: null,
    agent: null,
    customer: { name: "Ada Customer", email: null },
    lastMessageAt: overrides.lastMessageAt ?? "2026-12-06T10:00:01.000Z"
  }
})

/** OneRoute's recipe: the parsed body serialised again (compact, key order kept). */
export const reserialised = (body: string): string => JSON.stringify(JSON.parse(body))

export interface Host {
  readonly url: string
  close(): Promise<void>
}

const toRequest = (req: IncomingMessage): Request => {
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  const hasBody = req.method !== "GET" && req.method !== "HEAD"
  return new Request(`http://127.0.0.1${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {})
  } as RequestInit)
}

const write = async (response: Response, res: ServerResponse) => {
  const headers: Record<string, string> = { connection: "close" }
  for (const [name, value] of response.headers) headers[name] = value
  res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()))
}

/** Serves `handler` on 127.0.0.1, passing the socket's peer as `{ remoteAddr: { hostname } }`. */
export const host = async (handler: WebhookHandler): Promise<Host> => {
  const server = createServer((req, res) => {
    req.on("error", () => req.destroy())
    handler(toRequest(req), { remoteAddr: { hostname: req.socket.remoteAddress } })
      .then((response) => write(response, res))
      .catch(() => res.writeHead(500, { connection: "close" }).end())
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/oneroute`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
