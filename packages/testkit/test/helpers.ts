import { request as httpRequest } from "node:http"
import { afterEach } from "vitest"
import { type Emulator, type EmulatorOptions, startEmulator } from "../src/index.js"

export const SEND_PATH = "/api/public/conversation/text"
export const BUSINESS = "2348000000001"
export const CUSTOMER = "2348012345678"

const running = new Set<Emulator>()

/** Start an emulator that is closed after the current test. */
export const start = async (options?: EmulatorOptions): Promise<Emulator> => {
  const emulator = await startEmulator(options)
  running.add(emulator)
  return emulator
}

afterEach(async () => {
  await Promise.all([...running].map((e) => e.close()))
  running.clear()
})

/** Start an emulator with an open window for CUSTOMER → BUSINESS. */
export const startOpen = async (options?: EmulatorOptions): Promise<Emulator> => {
  const emulator = await start(options)
  emulator.receiveInbound({ from: CUSTOMER, to: BUSINESS })
  return emulator
}

export const validBody = (message = "Hello from the test") => ({ from: BUSINESS, to: CUSTOMER, message })

/** POST the send endpoint with Node's fetch. `body` is JSON-encoded unless it is a string. */
export const send = (
  emulator: Emulator,
  body: unknown = validBody(),
  options: { headers?: Record<string, string>; signal?: AbortSignal; method?: string } = {}
): Promise<Response> =>
  fetch(`${emulator.url}${SEND_PATH}`, {
    method: options.method ?? "POST",
    headers: { apiKey: emulator.apiKey, "content-type": "application/json", ...options.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...(options.signal === undefined ? {} : { signal: options.signal })
  })

export const envelope = (message: string) => ({ data: null, message, success: false })

/** Result of a raw node:http request: either a complete response or a socket error. */
export type RawResult =
  | { readonly kind: "response"; readonly status: number; readonly body: string }
  | { readonly kind: "error"; readonly code: string | undefined; readonly message: string }

/** POST with node:http on a fresh connection, to observe resets precisely. */
export const rawSend = (emulator: Emulator, body: unknown = validBody()): Promise<RawResult> =>
  new Promise((resolve) => {
    const payload = JSON.stringify(body)
    const req = httpRequest(
      `${emulator.url}${SEND_PATH}`,
      {
        method: "POST",
        agent: false,
        headers: {
          apiKey: emulator.apiKey,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload)
        }
      },
      (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () =>
          resolve({ kind: "response", status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() })
        )
        res.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "error", code: e.code, message: e.message }))
      }
    )
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "error", code: e.code, message: e.message }))
    req.end(payload)
  })
