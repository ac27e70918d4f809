import { Readable } from "node:stream"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { recipientsFromCsv } from "../src/index.js"

const HEADER = "key,to,message"

/** Reads a CSV text to its end: the recipients, and how many records were unreadable. */
const readCsv = async (lines: ReadonlyArray<string>) => {
  const file = recipientsFromCsv(Readable.from([lines.join("\n")]))
  const recipients: Array<unknown> = []
  for await (const recipient of file.recipients) recipients.push(recipient)
  return { recipients, unreadable: file.unreadable() }
}

describe("recipientsFromCsv's unreadable count", () => {
  it("counts a record with a bad closing quote once, though the parser reports two errors for it", async () => {
    // The quote stays open to the end of the input: one record, reported as an invalid closing quote and an unclosed quote.
    expect(await readCsv([HEADER, 'k,"2348012345678,"broken', ""])).toEqual({ recipients: [], unreadable: 1 })
    expect(await readCsv([HEADER, 'k,"x"y,"z"w', "m,2348012345679,ok"])).toEqual({ recipients: [], unreadable: 1 })
  })

  it("counts a record with a bad opening quote and too many cells once", async () => {
    expect(await readCsv([HEADER, 'k,23"48,x,y', "m,2348012345679,ok"])).toEqual({
      recipients: [{ key: "m", to: "2348012345679", message: "ok" }],
      unreadable: 1
    })
  })

  it("counts consecutive bad records one each", async () => {
    expect(await readCsv([HEADER, "a,b", "c,d", "m,2348012345679,ok", "e", 'k,"x"y'])).toEqual({
      recipients: [{ key: "m", to: "2348012345679", message: "ok" }],
      unreadable: 4
    })
  })

  it("never counts more unreadable records than lines, whatever the input", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.stringMatching(/^[a-z0-9,"| \r]{0,12}$/), { maxLength: 12 }), async (lines) => {
        const { recipients, unreadable } = await readCsv([HEADER, ...lines])
        expect(unreadable + recipients.length).toBeLessThanOrEqual(lines.length)
      }),
      { numRuns: 300 }
    )
  })
})
