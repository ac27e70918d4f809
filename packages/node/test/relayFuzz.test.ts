/**
 * 10,000 random requests (methods, targets, Host values, header sets, bodies, early
 * disconnects) against a relay in its own process: it must stay up, log nothing (a handler
 * that throws logs; an uncaught exception ends the process), and answer the next valid send.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"
import fc from "fast-check"
import { afterAll, beforeAll, expect, it } from "vitest"
import { rawRequest } from "./support/rawHttp.js"
import { BUSINESS, CUSTOMER } from "./support/relay.js"

const RUNS = 10_000

let child: ChildProcess
let port: number
let stderr = ""
let exited: string | undefined

beforeAll(async () => {
  child = spawn(process.execPath, [fileURLToPath(new URL("./support/relayProcess.mjs", import.meta.url))], {
    stdio: ["ignore", "pipe", "pipe"]
  })
  child.stderr?.on("data", (chunk) => {
    stderr += chunk
  })
  child.once("exit", (code, signal) => {
    exited = `exit ${code ?? signal}`
  })
  const [line] = (await once(child.stdout!, "data")) as [Buffer]
  port = (JSON.parse(line.toString()) as { port: number }).port
})

afterAll(() => {
  child.kill("SIGKILL")
})

const validSend = JSON.stringify({ from: BUSINESS, to: CUSTOMER, message: "fuzz" })

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/)
// Weighted towards requests that get past Node's parser and into the relay's own checks.
const method = fc.oneof(
  { arbitrary: fc.constant("POST"), weight: 8 },
  fc.constantFrom("POST", "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "TRACK", "CONNECT"),
  token,
  fc.string({ maxLength: 8 })
)
const target = fc.oneof(
  { arbitrary: fc.constant("/oneroute/api/public/conversation/text"), weight: 8 },
  fc.constantFrom(
    "/oneroute/api/public/conversation/text",
    "*",
    "http://u:p@127.0.0.1/oneroute/api/public/conversation/text",
    "http://127.0.0.1/oneroute/api/public/conversation/text",
    "https://[::1]:0/x",
    "//evil.example/x",
    "/%zz%",
    "/\u00ff",
    "127.0.0.1:443"
  ),
  fc.string({ maxLength: 40 }).map((text) => `/${text}`),
  fc.string({ maxLength: 40 })
)
const host = fc.option(
  fc.oneof(
    { arbitrary: fc.constant("127.0.0.1"), weight: 6 },
    fc.constantFrom("127.0.0.1", "a b", "u:p@x", "[::1]", "x:99999", "evil.example", "", "a/b", "%00"),
    fc.string({ maxLength: 30 })
  ),
  { nil: undefined }
)
const header = fc.oneof(
  { arbitrary: fc.constant(["content-type", "application/json"] as const), weight: 6 },
  fc.constantFrom(
    ["origin", "https://support.example.com"],
    ["origin", "null"],
    ["origin", "http://evil.example"],
    ["content-type", "application/json"],
    ["content-type", "application/json; charset=utf-8"],
    ["content-type", "text/plain"],
    ["content-length", "-1"],
    ["content-length", "abc"],
    ["content-length", "99999999999999999999"],
    ["transfer-encoding", "chunked"],
    ["transfer-encoding", "gzip, chunked"],
    ["authorization", "Bearer refused"],
    ["x-forwarded-proto", "javascript"],
    ["x-forwarded-host", "evil.example"],
    ["expect", "100-continue"],
    ["connection", "keep-alive, upgrade"],
    ["upgrade", "websocket"]
  ),
  fc.tuple(fc.constantFrom("idempotency-key", "origin", "x-forwarded-host", "cookie"), fc.string({ maxLength: 300 })),
  fc.tuple(token, fc.string({ maxLength: 40 }))
)
const body = fc.oneof(
  fc.constant(""),
  { arbitrary: fc.constant(validSend), weight: 4 },
  fc.constant("{"),
  fc.constant("[".repeat(5000)),
  fc.constant(JSON.stringify({ from: BUSINESS, to: CUSTOMER, message: "x".repeat(40_000) })),
  fc.constant("5\r\nhello\r\nzz\r\n"),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 })
)
const request = fc.record({
  method,
  target,
  host,
  headers: fc.array(header, { maxLength: 6 }),
  body,
  // Content-Length of the body, a wrong one, or none.
  length: fc.constantFrom("exact", "none", "short"),
  disconnectEarly: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, fc.constant(true))
})

type Spec = typeof request extends fc.Arbitrary<infer R> ? R : never

const toBytes = (spec: Spec): string => {
  const lines = [`${spec.method} ${spec.target} HTTP/1.1`]
  if (spec.host !== undefined) lines.push(`Host: ${spec.host}`)
  for (const [name, value] of spec.headers) lines.push(`${name}: ${value}`)
  const bytes = Buffer.byteLength(spec.body)
  if (spec.length === "exact") lines.push(`Content-Length: ${bytes}`)
  if (spec.length === "short") lines.push(`Content-Length: ${Math.max(0, bytes - 3)}`)
  lines.push("Connection: close")
  return `${lines.join("\r\n")}\r\n\r\n${spec.body}`
}

it(`stays up through ${RUNS} random requests and answers the next valid send`, async () => {
  const specs = fc.sample(request, { numRuns: RUNS, seed: 20261201 })
  const statuses = new Map<string, number>()
  let next = 0
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < specs.length && exited === undefined) {
        const spec = specs[next++]!
        const answer = await rawRequest(port, toBytes(spec), { idleMs: 1_000, destroyAfterWrite: spec.disconnectEarly })
        const kind = answer.status === undefined ? answer.ending : String(answer.status)
        statuses.set(kind, (statuses.get(kind) ?? 0) + 1)
      }
    })
  )
  expect(exited).toBeUndefined()
  // The relay says which page origins it refused (each once, at most 100): nothing else.
  const refusals = stderr
    .split("\n")
    .filter((line) => line.startsWith("@oneroute relay: The relay refuses pages of origin "))
  expect(refusals.length).toBeLessThanOrEqual(100)
  expect(stderr.split("\n").filter((line) => line !== "" && !refusals.includes(line))).toEqual([])
  // Malformed requests are the client's error: never a 500 from the relay.
  expect(statuses.get("500") ?? 0).toBe(0)
  console.log(`relay fuzz: ${RUNS} requests, answers by status: ${JSON.stringify(Object.fromEntries(statuses))}`)

  const valid = await rawRequest(
    port,
    `POST /oneroute/api/public/conversation/text HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${validSend.length}\r\nConnection: close\r\n\r\n${validSend}`
  )
  expect(valid.status).toBe(200)
}, 600_000)
