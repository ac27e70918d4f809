import { describe, expect, it } from "vitest"
import { parseCsv, readCsv } from "../src/input/csv.js"
import { InputFileError } from "../src/input/row.js"

describe("parseCsv", () => {
  it("splits records and fields and numbers records by their first line", () => {
    expect(parseCsv("to,message\n1,a\n2,b\n")).toEqual([
      { line: 1, fields: ["to", "message"] },
      { line: 2, fields: ["1", "a"] },
      { line: 3, fields: ["2", "b"] }
    ])
  })

  it("keeps commas, escaped quotes and line breaks inside quoted fields", () => {
    expect(parseCsv('a,"x, ""y""\nz"\r\nb,"line\r\nbreak"\nc,d')).toEqual([
      { line: 1, fields: ["a", 'x, "y"\nz'] },
      { line: 3, fields: ["b", "line\r\nbreak"] },
      { line: 5, fields: ["c", "d"] }
    ])
  })

  it("handles CRLF, a byte order mark, empty fields, blank lines and no final newline", () => {
    expect(parseCsv('\uFEFFa,,b\r\n\r\n,\n"",x\n\n1,2,')).toEqual([
      { line: 1, fields: ["a", "", "b"] },
      { line: 3, fields: ["", ""] },
      { line: 4, fields: ["", "x"] },
      { line: 6, fields: ["1", "2", ""] }
    ])
  })

  it("keeps spaces and a lone carriage return as data", () => {
    expect(parseCsv(" a , b\rc \n")).toEqual([{ line: 1, fields: [" a ", " b\rc "] }])
  })

  it("reports malformed records and goes on with the next one", () => {
    expect(parseCsv('"ab"c,d\na"b,c\nok,1\n"never closed,\nx,y\n')).toEqual([
      { line: 1, error: "text after a closing quote: quote the whole field" },
      { line: 2, error: 'a quote inside an unquoted field: quote the field and write the quote as ""' },
      { line: 3, fields: ["ok", "1"] },
      { line: 4, error: "a quoted field that starts on line 4 is never closed" },
      { line: 5, fields: ["x", "y"] }
    ])
  })

  it("reads a quoted field that spans lines and closes well as one field", () => {
    expect(parseCsv('to,message\n1,"Two\nlines"\n2,"and, ""more""\r\nhere",\n3,ok')).toEqual([
      { line: 1, fields: ["to", "message"] },
      { line: 2, fields: ["1", "Two\nlines"] },
      { line: 4, fields: ["2", 'and, "more"\r\nhere', ""] },
      { line: 6, fields: ["3", "ok"] }
    ])
  })

  it("names the line where a never-closed quote opened, and reads the lines after it as rows", () => {
    // Up to a later field's opening quote (its closing quote is then followed by text).
    expect(parseCsv('to,message\n1,"Hello\n2,"World"\n3,ok\n')).toEqual([
      { line: 1, fields: ["to", "message"] },
      { line: 2, error: "a quoted field that starts on line 2 is never closed" },
      { line: 3, fields: ["2", "World"] },
      { line: 4, fields: ["3", "ok"] }
    ])
    // Up to the end of the input, with CRLF line ends.
    expect(parseCsv('a,"open\r\nb,c\r\nd,e')).toEqual([
      { line: 1, error: "a quoted field that starts on line 1 is never closed" },
      { line: 2, fields: ["b", "c"] },
      { line: 3, fields: ["d", "e"] }
    ])
    // The quote opens on a later line of the record than its first one.
    expect(parseCsv('a,"x\ny","open\nb,c\n')).toEqual([
      { line: 1, error: "a quoted field that starts on line 2 is never closed" },
      { line: 3, fields: ["b", "c"] }
    ])
    // On the last line, with no line end.
    expect(parseCsv('a,b\nc,"d')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, error: "a quoted field that starts on line 2 is never closed" }
    ])
  })

  it("reads back what an RFC 4180 writer wrote (seeded generated tables)", () => {
    // A small deterministic generator: fast-check is not a dependency of the demo.
    let seed = 42
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed % n
    }
    const pieces = ["a", "Z", "1", " ", ",", '"', "\n", "\r\n", "\r", "é", "😀", ""]
    const field = () => Array.from({ length: random(6) }, () => pieces[random(pieces.length)]).join("")
    const quote = (value: string) =>
      /[",\r\n]/.test(value) || random(4) === 0 ? `"${value.replaceAll('"', '""')}"` : value
    for (let run = 0; run < 300; run++) {
      const table = Array.from({ length: 1 + random(4) }, () => Array.from({ length: 2 + random(3) }, field))
      const eol = random(2) === 0 ? "\n" : "\r\n"
      const text = table.map((record) => record.map(quote).join(",")).join(eol) + (random(2) === 0 ? eol : "")
      expect(
        parseCsv(text).map((record) => ("fields" in record ? record.fields : record.error)),
        JSON.stringify(text)
      ).toEqual(table)
    }
  })
})

describe("readCsv", () => {
  it("maps columns by the header, in any order and case, ignoring other columns", () => {
    expect(readCsv("Message, note ,TO,from\nhi,x,2348012345678,\nyo,y,2348012345679,2348000000001\n")).toEqual([
      { kind: "message", line: 2, to: "2348012345678", message: "hi", from: undefined },
      { kind: "message", line: 3, to: "2348012345679", message: "yo", from: "2348000000001" }
    ])
  })

  it("turns bad records into invalid rows with their line", () => {
    expect(readCsv('to,message\n2348012345678\n,hi\n2348012345678,\n"x\n')).toEqual([
      { kind: "invalid", line: 2, to: null, problem: "expected 2 fields (to,message), got 1" },
      { kind: "invalid", line: 3, to: null, problem: "missing to" },
      { kind: "invalid", line: 4, to: "2348012345678", problem: "missing message" },
      { kind: "invalid", line: 5, to: null, problem: "a quoted field that starts on line 5 is never closed" }
    ])
  })

  it.each([
    ["", /empty/],
    ["to,text\n1,a\n", /must have "to" and "message" columns/],
    ["to,message,to\n", /column "to" twice/],
    ['"to,message\n', /header row is malformed/]
  ])("rejects the whole file when the header is unusable: %j", (text, message) => {
    expect(() => readCsv(text)).toThrow(InputFileError)
    expect(() => readCsv(text)).toThrow(message)
  })
})
