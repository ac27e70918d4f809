// Cold start: one send with the SDK's Effect API, then exit (the parent times spawn to exit).
// The Effect API from `@oneroute/node/effect` where that subpath exists, else `@oneroute/node`.
import * as Effect from "effect/Effect"

const importEffectApi = () =>
  import("@oneroute/node/effect").catch((error) => {
    if (error?.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return import("@oneroute/node")
    throw error
  })

const { layer, OneRoute } = await importEffectApi()
await Effect.runPromise(
  Effect.provide(
    OneRoute.sendSessionMessage({ from: "2348000000001", to: "2348012345678", message: "Hello :)" }),
    layer({ apiKey: "bench-key", baseUrl: process.argv[2] })
  )
)
process.exit(0)
