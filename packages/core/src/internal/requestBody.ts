/**
 * A request body read with a bound (the relay's and the webhook receiver's): never more than the
 * limit is buffered, and a declared `Content-Length` over it is refused before anything is read.
 * Bytes: a webhook's signature is over the bytes as they arrived.
 */

/** The body's bytes, or `undefined` when it is (or says it is) larger than `limit`. */
export const readBytesLimited = async (request: Request, limit: number): Promise<Uint8Array | undefined> => {
  const declared = Number(request.headers.get("content-length") ?? "0")
  if (declared > limit) return undefined
  const reader = request.body?.getReader()
  if (reader === undefined) return new Uint8Array(0)
  const chunks: Array<Uint8Array> = []
  let size = 0
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
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
  return bytes
}
