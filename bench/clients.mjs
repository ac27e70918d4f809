// The clients measured side by side. Each library is imported inside its `make`, so a child
// process that measures one client (peakRss.mjs) loads only that client's modules.
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

export const clients = [
  {
    // The limit: what a hand-written client on Node's fastest HTTP stack costs.
    name: "raw undici",
    make: async (baseUrl) => {
      const { Agent, request } = await import("undici")
      const dispatcher = new Agent({ keepAliveTimeout: 10_000 })
      const url = `${baseUrl}${path}`
      return promiseClient(
        async () => {
          const response = await request(url, { method: "POST", dispatcher, headers, body })
          const json = await response.body.json()
          if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`)
          return json
        },
        () => dispatcher.close()
      )
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
      const [{ layer, OneRoute }, Effect, ManagedRuntime] = await Promise.all([
        import("@oneroute/node"),
        import("effect/Effect"),
        import("effect/ManagedRuntime")
      ])
      const runtime = ManagedRuntime.make(layer({ apiKey, baseUrl }))
      return {
        run: (count, concurrency) =>
          runtime.runPromise(
            Effect.forEach(Array.from({ length: count }), () => OneRoute.sendSessionMessage(input), {
              concurrency,
              discard: true
            })
          ),
        close: () => runtime.dispose()
      }
    }
  }
]

export const clientNamed = (name) => {
  const client = clients.find((candidate) => candidate.name === name)
  if (client === undefined) throw new Error(`no client named ${JSON.stringify(name)}`)
  return client
}
