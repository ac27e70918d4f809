import { connectEmulator } from "@oneroute/testkit/conformance"
import { createClient } from "../src/index.ts"
import { refusedUrl, startEmulatorHost } from "../test/support/emulatorHost.ts"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"

const dump = (e: unknown, depth = 0): void => {
  if (depth > 6 || e === undefined) return
  const o = e as any
  console.log("  ".repeat(depth) + `${o?.constructor?.name} name=${o?.name} code=${o?.code} _tag=${o?._tag} reason=${o?.reason} message=${JSON.stringify(o?.message)} sendOutcome=${o?.sendOutcome}`)
  dump(o?.cause, depth + 1)
}
for (const realResets of [true, false]) {
  const host = await startEmulatorHost({ realResets })
  const control = await connectEmulator(host.url)
  for (const when of ["before-accept", "after-accept"] as const) {
    await control.reset()
    const from = control.channels[0]!.number
    await control.receiveInbound({ from: "2348012345678", to: from })
    await control.inject({ kind: "reset", when })
    // raw platform error
    const exit = await Effect.runPromiseExit(HttpClient.post(`${host.url}/api/public/conversation/text`).pipe(Effect.flatMap((r) => Effect.map(r.text, (t) => console.log("  raw status", r.status, t.slice(0, 120)))), Effect.provide(FetchHttpClient.layer)))
    console.log(`--- realResets=${realResets} ${when} raw HttpClient:`); dump(exit._tag === "Failure" ? (exit.cause as any).error : exit)
    await control.inject({ kind: "reset", when })
    const client = createClient({ apiKey: control.apiKey, baseUrl: control.url })
    try { await client.sendSessionMessage({ from, to: "2348012345678", message: "hi" }) } catch (e) { console.log("  adapter:"); dump(e) }
    await client.close()
  }
  await host.close()
}
const url = refusedUrl()
const exit = await Effect.runPromiseExit(HttpClient.post(url).pipe(Effect.provide(FetchHttpClient.layer)))
console.log("--- refused raw HttpClient:"); dump((exit as any).cause.error)
