/** A tiny real HTTP server on 127.0.0.1 for answers the emulator cannot give. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { fetchTransport, makeAdapter } from "../src/Adapter.js"
import { makeClient, type OneRouteOptions, type RelayHandlerOptions, type RelayOptions } from "../src/effect.js"
import { resolveOptions as validateOptions } from "../src/internal/options.js"
import * as Platform from "../src/platform.js"

export interface SeenRequest {
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

export interface TestServer {
  readonly url: string
  readonly requests: Array<SeenRequest>
  close(): Promise<void>
}

export const startServer = async (
  handle: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void | Promise<void>
): Promise<TestServer> => {
  const requests: Array<SeenRequest> = []
  const server = createServer(async (req, res) => {
    let body = ""
    for await (const chunk of req) body += chunk
    const seen = { headers: req.headers, body }
    requests.push(seen)
    await handle(req, res, seen)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

export const answer = (res: ServerResponse, status: number, body: string, contentType = "application/json") =>
  void res.writeHead(status, { "content-type": contentType }).end(body)

/** Core over Node's global `fetch` (FetchHttpClient), as a browser or Deno would run it. */
export const fetchLayer = (options: OneRouteOptions | RelayOptions) =>
  Platform.layer(options).pipe(Layer.provide(FetchHttpClient.layer))

/** A Promise client on `fetchLayer`; unusable options throw at once, as `createClient` does. */
export const fetchClient = (options: OneRouteOptions | RelayOptions) => {
  Either.getOrThrowWith(validateOptions(options), (error) => error)
  return makeClient(fetchLayer(options))
}

/** A relay over Node's global `fetch`, holding `sendOptions` (the API key's). */
export const fetchRelay = (relayOptions: RelayHandlerOptions, sendOptions: OneRouteOptions) =>
  fetchAdapter.relayHandler({ ...relayOptions, ...sendOptions })

/** An adapter over Node's global `fetch` with no environment: what another runtime would write. */
const fetchAdapter = makeAdapter({
  transport: () => ({ send: fetchTransport(() => fetch), close: async () => {} }),
  userAgent: undefined,
  getEnv: () => undefined
})

export const SEND = { from: "2348000000001", to: "2348012345678", message: "hi" } as const

export const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error
  )
