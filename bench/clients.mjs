// The clients measured side by side. Each library is imported inside its `make`, so a child
// process that measures one client (throughput.mjs, peakRss.mjs) loads only that client's modules.
//
// make(baseUrl) resolves to { run(count, concurrency), close() }: `run` sends `count` session
// messages with at most `concurrency` in flight and rejects on the first failed send (any answer
// but a 200 with a body), so a client whose sends fail shows "failed: …" and fails the run.

export const apiKey = "bench-key"
export const input = { from: "2348000000001", to: "2348012345678", message: "Hello :)" }
const body = JSON.stringify(input)
const headers = { apiKey, "content-type": "application/json" }
const path = "/api/public/conversation/text"

// `concurrency` workers pulling from one counter: the same driver for every Promise-based client.
const pool = async (send, count, concurrency) => {
  let next = 0
  const worker = async () => {
    while (next++ < count) await send()
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
}

const promiseClient = (send, close) => ({ run: (count, concurrency) => pool(send, count, concurrency), close })

// The raw undici send, shared by "raw undici" and the Effect ceiling so both send the same way.
const rawUndiciSend = async (baseUrl) => {
  const { Agent, request } = await import("undici")
  const dispatcher = new Agent({ keepAliveTimeout: 10_000 })
  const url = `${baseUrl}${path}`
  return {
    send: async () => {
      const response = await request(url, { method: "POST", dispatcher, headers, body })
      const json = await response.body.json()
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`)
      return json
    },
    close: () => dispatcher.close()
  }
}

// The Effect driver, the same for the SDK's Effect API and the Effect ceiling: one runtime built
// from a layer, each batch one `Effect.forEach` over `count` sends with `concurrency` fibers.
const effectClient = async (makeLayer, send) => {
  const [Effect, ManagedRuntime] = await Promise.all([import("effect/Effect"), import("effect/ManagedRuntime")])
  const runtime = ManagedRuntime.make(await makeLayer())
  return {
    run: (count, concurrency) =>
      runtime.runPromise(Effect.forEach(Array.from({ length: count }), send, { concurrency, discard: true })),
    close: () => runtime.dispose()
  }
}

/**
 * The SDK's Effect API (`layer`, `OneRoute`): from `@oneroute/node/effect` where the package
 * exports that subpath, else from `@oneroute/node` (where it lived before issue 14), so the bench
 * runs before and after the move. Resolves to the module and the specifier it came from.
 */
export const importEffectApi = async () => {
  for (const specifier of ["@oneroute/node/effect", "@oneroute/node"]) {
    let module
    try {
      module = await import(specifier)
    } catch (error) {
      // Only "no such subpath" falls through: an entry that exists but fails to load is an error.
      if (specifier !== "@oneroute/node" && error?.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") continue
      throw error
    }
    if (typeof module.layer === "function" && module.OneRoute !== undefined) return { module, specifier }
  }
  throw new Error("neither @oneroute/node/effect nor @oneroute/node exports layer and OneRoute")
}

export const clients = [
  {
    // The limit: what a hand-written client on Node's fastest HTTP stack costs.
    name: "raw undici",
    make: async (baseUrl) => {
      const { send, close } = await rawUndiciSend(baseUrl)
      return promiseClient(send, close)
    }
  },
  {
    // Node's global fetch (its bundled undici) keeps connections alive by default.
    name: "fetch",
    make: async (baseUrl) => {
      const url = `${baseUrl}${path}`
      return promiseClient(
        async () => {
          const response = await fetch(url, { method: "POST", headers, body })
          const json = await response.json()
          if (!response.ok) throw new Error(`HTTP ${response.status}`)
          return json
        },
        async () => {}
      )
    }
  },
  {
    // axios on node:http; its default agent does not keep connections alive, so pass one that does.
    name: "axios",
    make: async (baseUrl) => {
      const [{ default: axios }, { Agent }] = await Promise.all([import("axios"), import("node:http")])
      const httpAgent = new Agent({ keepAlive: true })
      const instance = axios.create({ baseURL: baseUrl, httpAgent, headers })
      return promiseClient(
        // axios rejects on a non-2xx answer; a 2xx that is not the 200 we expect fails here.
        async () => {
          const response = await instance.post(path, input)
          if (response.status !== 200) throw new Error(`HTTP ${response.status}`)
          return response.data
        },
        async () => httpAgent.destroy()
      )
    }
  },
  {
    name: "SDK Promise",
    make: async (baseUrl) => {
      const { createClient } = await import("@oneroute/node")
      const client = createClient({ apiKey, baseUrl })
      return promiseClient(
        () => client.sendSessionMessage(input),
        () => client.close()
      )
    }
  },
  {
    // What an Effect user writes: one runtime from the layer, a batch as Effect.forEach.
    name: "SDK Effect",
    make: async (baseUrl) => {
      const { layer, OneRoute } = (await importEffectApi()).module
      return effectClient(
        () => layer({ apiKey, baseUrl }),
        () => OneRoute.sendSessionMessage(input)
      )
    }
  },
  {
    // The Effect ceiling: raw undici's send inside one Effect.async (no AbortSignal asked for, so
    // none is made), run by the SDK Effect client's driver. What Effect's own fiber per send costs:
    // the SDK's Effect API is judged against it.
    name: "Effect ceiling",
    make: async (baseUrl) => {
      const [{ send, close }, Effect, Layer] = await Promise.all([
        rawUndiciSend(baseUrl),
        import("effect/Effect"),
        import("effect/Layer")
      ])
      // One Effect.async per send, made per send as the SDK makes its effect per send.
      const client = await effectClient(
        () => Layer.empty,
        () =>
          Effect.async((resume) => {
            send().then(
              (json) => resume(Effect.succeed(json)),
              (error) => resume(Effect.fail(error))
            )
          })
      )
      return { run: client.run, close: async () => Promise.all([client.close(), close()]) }
    }
  }
]

export const clientNamed = (name) => {
  const client = clients.find((candidate) => candidate.name === name)
  if (client === undefined) throw new Error(`no client named ${JSON.stringify(name)}`)
  return client
}
