import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Predicate from "effect/Predicate"
import { refusedUrl, startEmulatorHost } from "../test/support/emulatorHost.ts"
import { connectEmulator } from "@oneroute/testkit/conformance"
// copy of core's classifier + the proposed line
const NOT_CONNECTED_CODES = new Set<unknown>(["ECONNREFUSED","ENOTFOUND","EAI_AGAIN","EHOSTUNREACH","ENETUNREACH","UND_ERR_CONNECT_TIMEOUT"])
const NOT_CONNECTED_NAMES = new Set<unknown>(["ConnectionRefused", "AddrNotAvailable"])
const NOT_CONNECTED_MESSAGE = /\bclient error \(Connect\)/
const causeChain = (error: unknown) => { const chain: unknown[] = []; for (let c = error; c !== undefined && chain.length < 6;) { chain.push(c); c = Predicate.hasProperty(c, "cause") ? c.cause : undefined } return chain }
const classify = (error: { cause?: unknown }, patched: boolean) => causeChain(error.cause).some((link) =>
  (Predicate.hasProperty(link, "code") && NOT_CONNECTED_CODES.has(link.code)) ||
  (Predicate.hasProperty(link, "name") && NOT_CONNECTED_NAMES.has(link.name)) ||
  (patched && link instanceof Error && NOT_CONNECTED_MESSAGE.test(link.message))) ? "not-sent" : "unknown"
const run = async (label: string, url: string) => {
  const exit = await Effect.runPromiseExit(HttpClient.post(url).pipe(Effect.flatMap((r) => r.text), Effect.provide(FetchHttpClient.layer)))
  const error = exit._tag === "Failure" ? (exit.cause as any).error : undefined
  console.log(label, "current:", classify(error, false), "patched:", classify(error, true))
}
await run("refused", refusedUrl())
const host = await startEmulatorHost()
const control = await connectEmulator(host.url)
for (const when of ["before-accept", "after-accept"] as const) {
  await control.inject({ kind: "reset", when })
  await run(`reset ${when}`, `${host.url}/api/public/conversation/text`)
}
await host.close()
