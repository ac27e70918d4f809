import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { childProcessTimeout } from "../../../../vitest.shared.js"

const bin = fileURLToPath(new URL("../../dist/bin.js", import.meta.url))

/** A running `oneroute-queue` (the built one, in dist). */
export interface CliRun {
  readonly child: ChildProcess
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>
}

/** Starts `oneroute-queue args` with `env` over the test's environment; killed if it outlives the child-process timeout. */
export const startCli = (args: ReadonlyArray<string>, env: Record<string, string> = {}): CliRun => {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout?.on("data", (chunk) => (stdout += chunk))
  child.stderr?.on("data", (chunk) => (stderr += chunk))
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`oneroute-queue ${args.join(" ")} did not end:\n${stdout}\n${stderr}`))
    }, childProcessTimeout)
    child.once("exit", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
  return { child, done }
}
