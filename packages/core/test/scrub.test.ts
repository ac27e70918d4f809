/**
 * The API key never shows, also when a server echoes it JSON-escaped; a success payload is
 * returned exactly as sent, whatever the key.
 */
import { inspect } from "node:util"
import { afterEach, describe, expect, it } from "vitest"
import { type OneRouteError, UnexpectedResponseError } from "../src/effect.js"
import { documentedSuccess } from "./fixtures.js"
import { answer, fetchClient, rejectionOf, SEND, startServer, type TestServer } from "./httpServer.js"

/** A key with the characters JSON and URLs like to escape. */
const KEY = "sk-Ab+Cd/Ef_9"

/** Every JSON escape of each character: `-` as `\u002d` or `\u002D`, `/` as `\/`, ... */
const jsonEscaped = (text: string, upper = false) =>
  [...text]
    .map((char) => {
      if (char === "/") return "\\/"
      if (/[A-Za-z0-9_]/.test(char)) return char
      const hex = char.charCodeAt(0).toString(16).padStart(4, "0")
      return `\\u${upper ? hex.toUpperCase() : hex}`
    })
    .join("")

const KEY_FORMS = [
  KEY,
  jsonEscaped(KEY),
  jsonEscaped(KEY, true),
  // Every character escaped, letters too.
  [...KEY].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`).join(""),
  encodeURIComponent(KEY)
]

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Everything an error shows: fields, message, String(), JSON, util.inspect. */
const everythingShown = (error: unknown) =>
  [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error).message].join("\n")

const failWith = async (status: number, body: string, contentType?: string): Promise<OneRouteError> => {
  server = await startServer((_, res) => answer(res, status, body, contentType))
  const client = fetchClient({ apiKey: KEY, baseUrl: server.url, retry: false })
  try {
    return (await rejectionOf(client.sendSessionMessage(SEND))) as OneRouteError
  } finally {
    await client.close()
  }
}

describe("the API key is scrubbed from what errors show, after JSON decoding", () => {
  it.each(KEY_FORMS)("a 401 whose JSON message holds the key written as %s", async (written) => {
    // JSON.parse turns every one of these forms back into the plain key.
    const body = `{"data":null,"message":"bad key ${written}","success":false}`
    expect((JSON.parse(body) as { message: string }).message.includes(KEY) || written.includes("%")).toBe(true)
    const error = await failWith(401, body)
    expect(error._tag).toBe("InvalidApiKeyError")
    expect(error._tag === "InvalidApiKeyError" && error.serverMessage).toBe("bad key [redacted]")
    expect(everythingShown(error)).not.toContain(KEY)
  })

  it.each([
    [422, "RejectedError"],
    [429, "RateLimitedError"],
    [503, "ServerError"]
  ])("a %i's serverMessage too", async (status, tag) => {
    const error = await failWith(status, JSON.stringify({ message: `echo: apikey=${KEY}; again ${KEY}` }))
    expect(error._tag).toBe(tag)
    expect("serverMessage" in error && error.serverMessage).toBe("echo: apikey=[redacted]; again [redacted]")
  })

  it.each(KEY_FORMS)("a 200 body excerpt holding the key written as %s", async (written) => {
    const error = await failWith(200, `<html><pre>apikey: ${written}</pre></html>`, "text/html")
    expect(error).toBeInstanceOf(UnexpectedResponseError)
    const excerpt = (error as UnexpectedResponseError).bodyExcerpt
    expect(excerpt).toBe("<html><pre>apikey: [redacted]</pre></html>")
    for (const form of KEY_FORMS) expect(everythingShown(error)).not.toContain(form)
  })

  it("a key crossing the excerpt's cut leaves no part of it behind", async () => {
    for (const written of KEY_FORMS) {
      for (const at of [190, 195, 199]) {
        const error = await failWith(200, `${"x".repeat(at)}${written}${"y".repeat(500)}`, "text/plain")
        const excerpt = (error as UnexpectedResponseError).bodyExcerpt
        expect(excerpt.length).toBeLessThanOrEqual(200)
        expect(excerpt.slice(at)).toBe("[redacted]".slice(0, 200 - at))
        await server?.close()
        server = undefined
      }
    }
  })
})

describe("a success payload", () => {
  it("is returned exactly as sent when it holds no form of the key", async () => {
    server = await startServer((_, res) => answer(res, 200, JSON.stringify(documentedSuccess)))
    const client = fetchClient({ apiKey: "sk_live_4f9c2a7be1d84e0b", baseUrl: server.url })
    try {
      const message = await client.sendSessionMessage(SEND)
      expect(message.externalId).toBe(documentedSuccess.data.externalId)
      expect(message.id).toBe(documentedSuccess.data.id)
      expect(message.conversationId).toBe(documentedSuccess.data.conversation_id)
      expect(message.sender.name).toBe(documentedSuccess.data.sender.name)
    } finally {
      await client.close()
    }
  })

  it.each(KEY_FORMS)("shows no key a server echoed into it, written as %s", async (written) => {
    const body = JSON.stringify({
      ...documentedSuccess,
      data: { ...documentedSuccess.data, externalId: `echo ${written}`, sender: { ...documentedSuccess.data.sender } }
    }).replace(JSON.stringify(`echo ${written}`), `"echo ${written.replace(/"/g, '\\"')}"`)
    server = await startServer((_, res) => answer(res, 200, body))
    const client = fetchClient({ apiKey: KEY, baseUrl: server.url })
    try {
      const message = await client.sendSessionMessage(SEND)
      expect(message.externalId).toBe("echo [redacted]")
      expect(message.id).toBe(documentedSuccess.data.id)
    } finally {
      await client.close()
    }
  })
})
