import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))

export interface ConsoleServer {
  readonly process: ChildProcess
  /** The console's origin. */
  readonly url: string
  /** The embedded emulator's URL (its HTTP controls move its clock, post webhooks, list sends). */
  readonly emulator: string
}

/** Starts the built CLI's `serve` on the embedded emulator and reads both URLs from its first lines. */
export const startConsole = async (): Promise<ConsoleServer> => {
  const child = spawn(process.execPath, [main, "serve", "--port", "0"], {
    env: { PATH: process.env.PATH },
    stdio: ["ignore", "pipe", "inherit"]
  })
  let output = ""
  while (!output.includes("\n")) {
    const [chunk] = (await once(child.stdout!, "data")) as [Buffer]
    output += chunk.toString()
  }
  const [url, emulator] = output.match(/http:\/\/127\.0\.0\.1:\d+/g) ?? []
  if (url === undefined || emulator === undefined) throw new Error(`unexpected serve output: ${output}`)
  child.stdout!.resume()
  return { process: child, url, emulator }
}

/** Calls one of the emulator's HTTP controls and returns its `data`. */
export const control = async <T = unknown>(emulator: string, route: string, body?: unknown): Promise<T> => {
  const response = await fetch(`${emulator}/__emulator/${route}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
  })
  const envelope = (await response.json()) as { data: T; message: string }
  if (!response.ok) throw new Error(`${route}: ${response.status} ${envelope.message}`)
  return envelope.data
}
