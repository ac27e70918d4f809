import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { type Emulator, startEmulator } from "@oneroute/testkit"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { type RelayHandler, relayHandler, toNodeListener } from "../../src/index.js"

/** The session-message endpoint's path, under OneRoute's base URL and a relay's. */
export const SESSION_PATH = "api/public/conversation/text"

export const BUSINESS = "2348000000001"
export const CUSTOMER = "2348012345678"
export const send = { from: BUSINESS, to: CUSTOMER, message: "through the relay" }

/**
 * One emulator for the test file, reset before each test with the window open for CUSTOMER.
 * A proxy, so tests can use it as the emulator once `beforeAll` has run.
 */
export const sharedEmulator = (): Emulator => {
  let emulator: Emulator | undefined
  beforeAll(async () => {
    emulator = await startEmulator()
  })
  afterAll(() => emulator?.close())
  beforeEach(() => {
    emulator?.reset()
    emulator?.receiveInbound({ from: CUSTOMER, to: BUSINESS })
  })
  return new Proxy({} as Emulator, {
    get: (_, property) => {
      if (emulator === undefined) throw new Error("the emulator starts in beforeAll")
      const value = Reflect.get(emulator, property)
      return typeof value === "function" ? value.bind(emulator) : value
    }
  })
}

export interface RunningRelay {
  readonly relay: RelayHandler
  readonly server: Server
  readonly port: number
  /** Where clients in relay mode point (`relayUrl`): the relay answers every endpoint below it. */
  readonly baseUrl: string
  /** The session-message endpoint under it, for raw requests. */
  readonly url: string
}

type Options = Parameters<typeof relayHandler>[0]

/** A real relay on node:http in front of `emulator`; an option set to `undefined` is left out. */
export const startRelay = async (
  emulator: Emulator,
  options: { readonly [K in keyof Options]?: Options[K] | undefined } = {}
): Promise<RunningRelay> => {
  const merged = {
    apiKey: emulator.apiKey,
    baseUrl: emulator.url,
    allowedFrom: [BUSINESS],
    authorize: () => true,
    publicUrl: "http://127.0.0.1",
    retry: false,
    ...options
  }
  const relay = relayHandler(
    Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as unknown as Options
  )
  const server = createServer(toNodeListener(relay))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  const baseUrl = `http://127.0.0.1:${port}/oneroute`
  return { relay, server, port, baseUrl, url: `${baseUrl}/${SESSION_PATH}` }
}

export const stopRelay = async ({ relay, server }: RunningRelay): Promise<void> => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await relay.close()
}

/** POSTs a JSON body to the relay with fetch; `key` becomes the Idempotency-Key. */
export const postJson = (
  url: string,
  body: unknown,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: string; headers: Headers }> =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body)
  }).then(async (response) => ({ status: response.status, body: await response.text(), headers: response.headers }))
