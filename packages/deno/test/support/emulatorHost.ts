/**
 * Hosts the OneRoute emulator's web handler in Deno itself, with `Deno.serve`.
 *
 * The emulator expresses a connection reset as a Response whose body stream errors. `Deno.serve`
 * alone turns that into a status line and headers (`200`, chunked) followed by a closed
 * connection: the client sees a response, then a body error. A real reset sends no response
 * at all, and `Deno.serve` has no way to drop a connection. So clients reach `Deno.serve`
 * through a small TCP relay (`Deno.listen` + `Deno.connect`) here, and the handler wrapper
 * reads the first chunk of each body before answering, as testkit's Node host does: when it
 * errors, the relay closes the client's connection before any byte of a response was written.
 * The handler finds its relay connection by `info.remoteAddr.port`, the relay's local port
 * towards `Deno.serve`.
 */
import { createEmulatorHandler } from "@oneroute/testkit/handler"

export interface EmulatorHost {
  /** Where clients connect (the relay). */
  readonly url: string
  /** Stops the emulator, the relay and `Deno.serve`; resolves when everything is closed. */
  readonly close: () => Promise<void>
}

export interface EmulatorHostOptions {
  /** `false`: clients talk to `Deno.serve` directly, so a reset arrives as a 200 head then EOF. */
  readonly realResets?: boolean
}

interface Relay {
  readonly client: Deno.Conn
  readonly upstream: Deno.Conn
  readonly drop: () => void
}

const LOOPBACK = "127.0.0.1"

const writeAll = async (conn: Deno.Conn, bytes: Uint8Array): Promise<void> => {
  for (let offset = 0; offset < bytes.byteLength; ) offset += await conn.write(bytes.subarray(offset))
}

/** Copies `from` to `to` until either side ends or fails. */
const pump = async (from: Deno.Conn, to: Deno.Conn): Promise<void> => {
  const buffer = new Uint8Array(64 * 1024)
  try {
    for (;;) {
      const read = await from.read(buffer)
      if (read === null) return
      await writeAll(to, buffer.subarray(0, read))
    }
  } catch {
    // a side was closed or reset: the relay ends
  }
}

/** `response`, or `"reset"` when its body errors before the first chunk; later errors call `onLateError`. */
const settle = async (response: Response, onLateError: () => void): Promise<Response | "reset"> => {
  if (response.body === null) return response
  const reader = response.body.getReader()
  let first: ReadableStreamReadResult<Uint8Array>
  try {
    first = await reader.read()
  } catch {
    return "reset"
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) controller.close()
      else controller.enqueue(first.value)
    },
    async pull(controller) {
      try {
        const next = await reader.read()
        if (next.done) controller.close()
        else controller.enqueue(next.value)
      } catch (error) {
        // The head is out already: cut the connection so the client sees an incomplete body.
        onLateError()
        controller.error(error)
      }
    },
    cancel: (reason) => reader.cancel(reason)
  })
  return new Response(first.done ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers
  })
}

/** Starts the emulator on 127.0.0.1 with an ephemeral port. */
export const startEmulatorHost = async (options: EmulatorHostOptions = {}): Promise<EmulatorHost> => {
  const emulator = createEmulatorHandler()
  const relays = new Map<number, Relay>()
  const realResets = options.realResets ?? true

  const server = Deno.serve({ hostname: LOOPBACK, port: 0, onListen: () => {} }, async (request, info) => {
    const response = await emulator.handler(request)
    if (!realResets) return response
    const drop = () => relays.get(info.remoteAddr.port)?.drop()
    const settled = await settle(response, drop)
    if (settled !== "reset") return settled
    drop()
    // Never reaches the client: its connection is closed already.
    return new Response(null, { status: 599 })
  })

  const relay = async (client: Deno.Conn): Promise<void> => {
    let upstream: Deno.Conn
    try {
      upstream = await Deno.connect({ hostname: LOOPBACK, port: server.addr.port })
    } catch {
      client.close()
      return
    }
    const port = (upstream.localAddr as Deno.NetAddr).port
    let dropped = false
    const drop = () => {
      if (dropped) return
      dropped = true
      relays.delete(port)
      for (const conn of [client, upstream]) {
        try {
          conn.close()
        } catch {
          // closed already
        }
      }
    }
    relays.set(port, { client, upstream, drop })
    await Promise.race([pump(client, upstream), pump(upstream, client)])
    drop()
  }

  let url: string
  let listener: Deno.Listener | undefined
  let accepting: Promise<void> = Promise.resolve()
  const relaying = new Set<Promise<void>>()
  if (realResets) {
    const front = Deno.listen({ hostname: LOOPBACK, port: 0 })
    listener = front
    url = `http://${LOOPBACK}:${front.addr.port}`
    accepting = (async () => {
      try {
        for await (const client of front) {
          const running = relay(client)
          relaying.add(running)
          void running.finally(() => relaying.delete(running))
        }
      } catch {
        // listener closed
      }
    })()
  } else {
    url = `http://${LOOPBACK}:${server.addr.port}`
  }
  emulator.setUrl(url)

  return {
    url,
    close: async () => {
      emulator.shutdown()
      listener?.close()
      await accepting
      for (const open of [...relays.values()]) open.drop()
      await Promise.all(relaying)
      await server.shutdown()
    }
  }
}

/** A loopback URL on a port that was free a moment ago and has nothing listening now. */
export const refusedUrl = (): string => {
  const listener = Deno.listen({ hostname: LOOPBACK, port: 0 })
  const { port } = listener.addr
  listener.close()
  return `http://${LOOPBACK}:${port}`
}
