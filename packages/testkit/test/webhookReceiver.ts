/** A real webhook receiver on loopback (node:http) that checks signatures with node:crypto. */
import { createHmac, timingSafeEqual } from "node:crypto"
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

/** One POST the receiver got, with what each verification recipe says. */
export interface Received {
  readonly raw: Buffer
  readonly headers: IncomingHttpHeaders
  readonly signature: string | undefined
  /** HMAC-SHA512 of the raw bytes matches the header. */
  readonly rawVerifies: boolean
  /** HMAC-SHA512 of `JSON.stringify(JSON.parse(raw))` (OneRoute's sample) matches the header. */
  readonly recipeVerifies: boolean
  readonly json: unknown
}

/** What to do with the next request: a status, or never answer. */
export type Answer = number | "hang"

export interface Receiver {
  readonly url: string
  readonly received: Array<Received>
  /** Answers for the next requests, in order; then 200. */
  readonly answers: Array<Answer>
  close(): Promise<void>
}

const matches = (secret: string, bytes: Buffer | string, signature: string | undefined): boolean => {
  if (signature === undefined || !/^[0-9a-f]{128}$/.test(signature)) return false
  const expected = createHmac("sha512", secret).update(bytes).digest()
  return timingSafeEqual(expected, Buffer.from(signature, "hex"))
}

const parse = (raw: Buffer): unknown => {
  try {
    return JSON.parse(raw.toString("utf8"))
  } catch {
    return undefined
  }
}

export const startReceiver = async (secret: string): Promise<Receiver> => {
  const received: Array<Received> = []
  const answers: Array<Answer> = []
  const hanging = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const raw = Buffer.concat(chunks)
      const header = req.headers["x-oneroute-signature"]
      const signature = typeof header === "string" ? header : undefined
      const json = parse(raw)
      received.push({
        raw,
        headers: req.headers,
        signature,
        rawVerifies: matches(secret, raw, signature),
        recipeVerifies: json !== undefined && matches(secret, JSON.stringify(json), signature),
        json
      })
      const answer = answers.shift() ?? 200
      if (answer === "hang") {
        hanging.add(res)
        return
      }
      res.writeHead(answer, { "content-type": "text/plain" })
      res.end("ok")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/oneroute`,
    received,
    answers,
    close: async () => {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}
