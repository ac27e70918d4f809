/**
 * The public surface: the adapter exports what applications use (that it does not re-export
 * the adapter-building factories is checked for every adapter in test/repository.test.ts).
 */
import { describe, expect, it } from "vitest"
import * as Node from "../src/index.js"

describe("@oneroute/node's exports", () => {
  it("keep what applications use", () => {
    for (const name of ["createClient", "layer", "layerConfig", "relayHandler", "toNodeListener", "NodeHttpClient"]) {
      expect(Object.keys(Node), name).toContain(name)
    }
    for (const name of ["OneRoute", "isOneRouteError", "RejectedError", "SessionMessage", "WhatsAppNumber"]) {
      expect(Object.keys(Node), name).toContain(name)
    }
  })

  it("OneRoute.make and layer take only the options (no positional user agent), layerConfig only a Config", () => {
    expect(Node.OneRoute.make.length).toBe(1)
    expect(Node.OneRoute.layer.length).toBe(1)
    expect(Node.OneRoute.layerConfig.length).toBeLessThanOrEqual(1)
  })
})
