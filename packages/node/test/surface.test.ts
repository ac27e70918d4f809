/**
 * The public surface: the adapter exports what applications use, and the factories for building
 * adapters live under `@oneroute/core/adapter`, which the adapter does not re-export.
 */
import * as Adapter from "@oneroute/core/adapter"
import { describe, expect, it } from "vitest"
import * as Node from "../src/index.js"

const FACTORIES = [
  "makeAdapter",
  "makeClient",
  "makeClientWith",
  "checkedLayer",
  "makeRelayHandler",
  "validateOptions",
  "optionsWithEnvironment",
  "OneRouteConfig"
] as const

describe("@oneroute/node's exports", () => {
  it("do not include the adapter-building factories", () => {
    for (const name of FACTORIES) expect(Object.keys(Node), name).not.toContain(name)
  })

  it("@oneroute/core/adapter has every one of them", () => {
    for (const name of FACTORIES) expect(Object.keys(Adapter), name).toContain(name)
  })

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
