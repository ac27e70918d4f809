import { expect, it } from "vitest"
import { readJsonl } from "../src/input/jsonl.js"

it("reads one object per line, skips blank lines and reports bad lines by number", () => {
  const text = [
    '{"to":"2348012345678","message":"hi"}',
    "",
    "   ",
    '{"to":"2348012345679","message":"yo","from":"2348000000001"}\r',
    '{"to":"2348012345678","message":',
    '["to","message"]',
    '{"to":2348012345678,"message":"x"}',
    '{"to":"2348012345678","message":""}',
    "null"
  ].join("\n")
  expect(readJsonl(text)).toEqual([
    { kind: "message", line: 1, to: "2348012345678", message: "hi", from: undefined },
    { kind: "message", line: 4, to: "2348012345679", message: "yo", from: "2348000000001" },
    { kind: "invalid", line: 5, to: null, problem: expect.stringMatching(/^not valid JSON/) },
    { kind: "invalid", line: 6, to: null, problem: 'expected a JSON object { "to", "message", "from"? }' },
    { kind: "invalid", line: 7, to: null, problem: "to must be a string" },
    { kind: "invalid", line: 8, to: "2348012345678", problem: "missing message" },
    { kind: "invalid", line: 9, to: null, problem: 'expected a JSON object { "to", "message", "from"? }' }
  ])
})

it("an empty file has no rows", () => {
  expect(readJsonl("")).toEqual([])
  expect(readJsonl("\n\n")).toEqual([])
})
