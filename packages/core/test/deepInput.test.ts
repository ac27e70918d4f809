/**
 * Input of any shape is a typed `InvalidInputError`, never a stack overflow: an object nested
 * 10,000 deep (or a cycle) where a message, a template or metadata should be.
 */
import { describe, expect, it } from "vitest"
import { Endpoint, InvalidInputError } from "../src/index.js"

const deep = (levels: number): unknown => {
  let value: unknown = "bottom"
  for (let i = 0; i < levels; i++) value = { nested: value }
  return value
}
const cycle = (): unknown => {
  const node: { self?: unknown } = {}
  node.self = node
  return node
}

describe("deep and cyclic input", () => {
  const inputs: ReadonlyArray<readonly [string, unknown]> = [
    ["a session message 10,000 deep", { from: "2348000000001", to: "2348012345678", message: deep(10_000) }],
    ["a cyclic session message", { from: "2348000000001", to: "2348012345678", message: cycle() }],
    [
      "template metadata 10,000 deep",
      {
        from: "2348000000001",
        messages: [{ to: "2348012345678", template: { name: "a", parameters: [] }, metadata: deep(10_000) }]
      }
    ],
    [
      "a campaign message's template 10,000 deep",
      { from: "2348000000001", messages: [{ to: "2348012345678", template: deep(10_000) }] }
    ]
  ]
  it.each(inputs)("%s is an InvalidInputError for every endpoint", async (_name, input) => {
    for (const endpoint of Endpoint.all) {
      const verdict = await endpoint.validate(input)
      expect(verdict._tag, endpoint.name).toBe("Left")
      if (verdict._tag === "Left") expect(verdict.left).toBeInstanceOf(InvalidInputError)
    }
  })
})
