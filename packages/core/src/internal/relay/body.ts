export { parseJson } from "../answer/json.js"

/** Reads at most `limit` bytes of a request body; `undefined` when it is larger. */
export const readLimited = async (request: Request, limit: number): Promise<string | undefined> => {
  const declared = Number(request.headers.get("content-length") ?? "0")
  if (declared > limit) return undefined
  const reader = request.body?.getReader()
  if (reader === undefined) return ""
  const chunks: Array<Uint8Array> = []
  let size = 0
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength
    if (size > limit) {
      await reader.cancel()
      return undefined
    }
    chunks.push(next.value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

/** A SHA-256 digest (hex) of `text`: the store keeps this, never the message itself. */
export const fingerprint = async (text: string): Promise<string> => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("")
}
