const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** Random string of `length` characters from [A-Za-z0-9], without modulo bias. */
export const randomAlphanumeric = (length: number): string => {
  let out = ""
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      // 248 = 62 * 4: reject the tail so every character is equally likely.
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62]
    }
  }
  return out
}

/** Random lowercase hex string of `bytes * 2` characters. */
export const randomHex = (bytes: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("")

/** An `externalId` like the WhatsApp ids OneRoute returns (28 alphanumeric characters). */
export const externalId = (): string => randomAlphanumeric(28)

/** Default API key: `test_` + 24 hex characters. */
export const generateApiKey = (): string => `test_${randomHex(12)}`
