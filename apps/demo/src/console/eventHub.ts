import type { ServerResponse } from "node:http"

/** Bounds of the server-sent event stream. */
export interface EventHubLimits {
  /** Pages connected at once; one more is answered 503. */
  readonly maxClients: number
  /**
   * Events a client may leave unread (written while its socket is backed up). Past it the client
   * is disconnected: its page reconnects and starts again from a snapshot, so it misses nothing,
   * and a page that stopped reading cannot make this server hold events without end.
   */
  readonly maxQueuedEvents: number
}

export const EVENT_HUB_LIMITS: EventHubLimits = { maxClients: 8, maxQueuedEvents: 64 }

/** How often an idle stream gets a comment line, so that nothing between closes it. */
const KEEPALIVE_MS = 25_000

/** One event in the `text/event-stream` format; `data` is JSON (one line). */
export const formatEvent = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`

interface Client {
  readonly res: ServerResponse
  /** Events written since the socket last drained. */
  queued: number
}

/** Server-sent events to every connected page, bounded in clients and in unread events per client. */
export const makeEventHub = (limits: EventHubLimits = EVENT_HUB_LIMITS) => {
  const clients = new Set<Client>()

  const drop = (client: Client) => {
    clients.delete(client)
    client.res.destroy()
  }

  const write = (client: Client, text: string) => {
    if (client.res.write(text)) return
    client.queued += 1
    if (client.queued > limits.maxQueuedEvents) drop(client)
  }

  const keepalive = setInterval(() => {
    for (const client of clients) write(client, ": keepalive\n\n")
  }, KEEPALIVE_MS)
  keepalive.unref()

  return {
    /**
     * Starts a stream on `res` with `first` (the snapshot), or answers 503 when `maxClients` are
     * connected. Returns whether it was accepted.
     */
    attach: (res: ServerResponse, first: string): boolean => {
      if (clients.size >= limits.maxClients) {
        res
          .writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "10" })
          .end(`At most ${limits.maxClients} console pages can be open at once: close one, then reload this page.`)
        return false
      }
      const client: Client = { res, queued: 0 }
      clients.add(client)
      res.on("drain", () => {
        client.queued = 0
      })
      res.on("close", () => clients.delete(client))
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no"
      })
      write(client, first)
      return true
    },
    /** Sends one event to every connected page. */
    broadcast: (text: string) => {
      for (const client of clients) write(client, text)
    },
    /** How many pages are connected. */
    size: () => clients.size,
    /** Ends every stream. */
    close: () => {
      clearInterval(keepalive)
      for (const client of clients) drop(client)
    }
  }
}

export type EventHub = ReturnType<typeof makeEventHub>
