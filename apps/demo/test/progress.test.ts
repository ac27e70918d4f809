import { expect, it } from "vitest"
import { createProgress, renderBar } from "../src/progress.js"

const fakeStream = (isTTY: boolean) => {
  const writes: Array<string> = []
  return { isTTY, writes, write: (text: string) => writes.push(text) }
}

const finish = (progress: ReturnType<typeof createProgress>, total: number) => {
  for (let done = 1; done <= total; done++) {
    progress.clear()
    progress.update(done - Math.floor(done / 4), Math.floor(done / 4))
  }
  progress.end()
}

it("renders a bar with counts", () => {
  expect(renderBar(12, 40, 11, 1)).toBe("[###-------] 12/40 sent 11 failed 1")
  expect(renderBar(40, 40, 40, 0)).toBe("[##########] 40/40 sent 40 failed 0")
})

it("on a TTY redraws one line in place and ends it once", () => {
  const stream = fakeStream(true)
  finish(createProgress(3, stream), 3)
  const output = stream.writes.join("")
  expect(output.split("\n")).toEqual([expect.any(String), ""])
  expect(output).toContain("\r[##########] 3/3 sent 3 failed 0")
  expect(stream.writes.filter((text) => text.startsWith("\r["))).toHaveLength(3)
})

it("elsewhere prints plain lines, at most one per tenth, and never a carriage return", () => {
  const stream = fakeStream(false)
  finish(createProgress(95, stream), 95)
  const output = stream.writes.join("")
  expect(output).not.toContain("\r")
  const lines = output.trimEnd().split("\n")
  expect(lines).toHaveLength(10)
  expect(lines.at(-1)).toBe("[##########] 95/95 sent 72 failed 23")
})

it("with few rows prints one line per row", () => {
  const stream = fakeStream(false)
  finish(createProgress(3, stream), 3)
  expect(stream.writes).toHaveLength(3)
})
