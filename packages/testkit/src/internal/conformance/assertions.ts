/** The conformance cases' assertions: plain checks that throw, so any runner reports them. */
import { isOneRouteError, type OneRouteError } from "@oneroute/core"

export class ConformanceFailure extends Error {}

export const check = (condition: boolean, message: string): void => {
  if (!condition) throw new ConformanceFailure(message)
}

export const equal = (actual: unknown, expected: unknown, what: string) =>
  check(Object.is(actual, expected), `${what}: expected ${String(expected)}, got ${String(actual)}`)

/** Asserts the send rejects with exactly `errorClass` and `sendOutcome`, and that the key shows nowhere. */
export const rejection = async <E extends OneRouteError>(
  promise: Promise<unknown>,
  errorClass: abstract new (...args: never) => E,
  sendOutcome: E["sendOutcome"],
  apiKey: string
): Promise<E> => {
  const error = await promise.then(
    (value) => {
      throw new ConformanceFailure(`expected ${errorClass.name}, the send succeeded with ${JSON.stringify(value)}`)
    },
    (error: unknown) => error
  )
  if (error instanceof ConformanceFailure) throw error
  check(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`)
  check(isOneRouteError(error), "isOneRouteError is true for a send error")
  const typed = error as E
  equal(typed.sendOutcome, sendOutcome, `${typed._tag}.sendOutcome`)
  for (const [view, text] of [
    ["message", typed.message],
    ["String()", String(typed)],
    ["JSON.stringify", JSON.stringify(typed)],
    ["stack", typed.stack ?? ""]
  ] as const) {
    check(!text.includes(apiKey), `the API key appears in the error's ${view}`)
  }
  return typed
}
