import { execFile, execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { writeInput } from "./run.js"

/**
 * The README's "save the outcomes, filter them with jq" recipe, run as written through the real
 * root `pnpm demo` script (turbo build, then the CLI) in a shell: only the input and output paths
 * are swapped for temporary ones. stdout must hold the demo's JSON lines and nothing else.
 */
const root = fileURLToPath(new URL("../../..", import.meta.url))
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")

/** The README's sh block that saves the outcomes to `outcomes.jsonl`. */
const recipe = (): Array<string> => {
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((match) => match[1]!.trim().split("\n"))
    .find((lines) => lines.some((line) => line.includes("> outcomes.jsonl")))
  if (block === undefined) throw new Error("the README has no sh block that saves outcomes.jsonl")
  return block
}

/** A first build can be slow on a busy machine; turbo's cache makes later runs quick. */
const buildTimeout = 240_000

const hasJq = (() => {
  try {
    execFileSync("jq", ["--version"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()

const shell = (command: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    execFile(
      "sh",
      ["-c", command],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: "1" },
        timeout: buildTimeout - 10_000,
        maxBuffer: 16 * 1024 * 1024
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") reject(error)
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr })
      }
    )
  })

describe("the README's outcomes recipe", () => {
  it(
    "`pnpm demo send --file … > outcomes.jsonl` writes JSON lines only, and the jq filter reads them",
    async () => {
      const [save, filter] = recipe()
      expect(save).toMatch(/^npx -y pnpm@12\.4\.2 demo send --file messages\.csv > outcomes\.jsonl$/)
      expect(filter).toMatch(/^jq .* outcomes\.jsonl$/)
      const input = writeInput(
        "messages.csv",
        "to,message\n+234 801 234 5678,Your order has shipped\n123,a number too short\n2348012345679,\n"
      )
      const output = join(input, "..", "outcomes.jsonl")
      const paths = (command: string) =>
        command.replaceAll("messages.csv", JSON.stringify(input)).replaceAll("outcomes.jsonl", JSON.stringify(output))

      const run = await shell(paths(save!))
      expect(run.code, run.stderr).toBe(1) // two rows fail
      expect(run.stdout).toBe("")
      const lines = readFileSync(output, "utf8").split("\n")
      expect(lines.pop()).toBe("")
      const outcomes = lines.map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>
        } catch {
          throw new Error(`outcomes.jsonl has a line that is not JSON: ${JSON.stringify(line)}`)
        }
      })
      expect(outcomes.map((outcome) => [outcome.line, outcome.status]).sort()).toEqual([
        [2, "sent"],
        [3, "failed"],
        [4, "failed"]
      ])
      expect(run.stderr).toContain("Done: 1 sent, 2 failed, of 3.")

      if (!hasJq) return
      const filtered = await shell(paths(filter!))
      expect(filtered.code, filtered.stderr).toBe(0)
      expect(filtered.stdout.split("\n").filter(Boolean).sort()).toEqual(["3", "4"])
    },
    buildTimeout
  )
})
