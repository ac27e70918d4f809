import { readBytesLimited } from "../requestBody.js"

export { parseJson } from "../answer/json.js"

/** Reads at most `limit` bytes of a request body, as text; `undefined` when it is larger. */
export const readLimited = async (request: Request, limit: number): Promise<string | undefined> => {
  const bytes = await readBytesLimited(request, limit)
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes)
}

/** A SHA-256 digest (hex) of `text`: the store keeps this, never the message itself. */
export const fingerprint = async (text: string): Promise<string> => {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)))
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("")
}
