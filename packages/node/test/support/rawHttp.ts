import { connect } from "node:net"

export interface RawAnswer {
  /** The status of the first response, if one arrived. */
  readonly status: number | undefined
  /** Everything the server sent. */
  readonly text: string
  /** The first response's body, de-chunked. */
  readonly body: string
  /** How the connection ended: closed by the server, reset, or cut by us after `idleMs`. */
  readonly ending: "closed" | "reset" | "idle"
}

const bodyOf = (text: string): string => {
  const split = text.indexOf("\r\n\r\n")
  if (split < 0) return ""
  const head = text.slice(0, split)
  let rest = text.slice(split + 4)
  if (!/^transfer-encoding:\s*chunked/im.test(head)) return rest
  let body = ""
  for (;;) {
    const line = rest.indexOf("\r\n")
    const size = Number.parseInt(rest.slice(0, line), 16)
    if (line < 0 || !(size > 0)) return body
    body += rest.slice(line + 2, line + 2 + size)
    rest = rest.slice(line + 2 + size + 2)
  }
}

/**
 * Writes `bytes` as they are to a fresh TCP connection, for requests no HTTP client would
 * send. `destroyAfterWrite` disconnects right after writing (an early disconnect).
 */
export const rawRequest = (
  port: number,
  bytes: string | Uint8Array,
  options: { readonly idleMs?: number; readonly destroyAfterWrite?: boolean } = {}
): Promise<RawAnswer> =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1")
    const chunks: Array<Buffer> = []
    let ending: RawAnswer["ending"] = "closed"
    socket.setTimeout(options.idleMs ?? 10_000, () => {
      ending = "idle"
      socket.destroy()
    })
    socket.on("data", (chunk: Buffer) => chunks.push(chunk))
    socket.on("error", () => {
      ending = "reset"
    })
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1")
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]
      resolve({ status: status === undefined ? undefined : Number(status), text, body: bodyOf(text), ending })
    })
    socket.write(bytes, () => {
      if (options.destroyAfterWrite) socket.destroy()
    })
  })
