import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { childProcessTimeout } from "../../../../vitest.shared.js"

const script = fileURLToPath(new URL("./workerProcess.mjs", import.meta.url))

/** A campaign worker in a child process (test/support/workerProcess.mjs, on the built package). */
export interface WorkerProcess {
  readonly child: ChildProcess
  /** Transitions this process reported, by kind. */
  readonly transitions: Map<string, number>
  /** SIGKILL, as in a crash; resolves when the process is gone. */
  readonly kill: () => Promise<void>
  /** SIGTERM: the worker finishes what is in flight and exits. */
  readonly terminate: () => Promise<number | null>
}

export interface WorkerProcessOptions {
  readonly storeUrl: string
  readonly queueName: string
  readonly concurrency: number
  readonly baseUrl: string
  readonly apiKey: string
  readonly lockDuration: number
  readonly stalledInterval: number
  readonly rateLimit?: { readonly max: number; readonly duration: number }
}

const running = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL")
})

export const forkWorker = async (options: WorkerProcessOptions): Promise<WorkerProcess> => {
  const args = [
    options.storeUrl,
    options.queueName,
    String(options.concurrency),
    options.baseUrl,
    options.apiKey,
    String(options.lockDuration),
    String(options.stalledInterval),
    ...(options.rateLimit === undefined ? [] : [String(options.rateLimit.max), String(options.rateLimit.duration)])
  ]
  const child = fork(script, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] })
  running.add(child)
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      running.delete(child)
      resolve(code)
    })
  )
  const transitions = new Map<string, number>()
  child.on("message", (message: { type: string; transition?: string }) => {
    if (message.type === "outcome" && message.transition !== undefined) {
      transitions.set(message.transition, (transitions.get(message.transition) ?? 0) + 1)
    }
  })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the worker process did not start")), childProcessTimeout)
    child.on("message", (message: { type: string }) => {
      if (message.type === "ready") {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`the worker process exited with ${code} before it was ready`))
    })
  })
  return {
    child,
    transitions,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
      await exited
    },
    terminate: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      return await exited
    }
  }
}
