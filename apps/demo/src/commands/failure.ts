import { isOneRouteError } from "@oneroute/node"

/** Prints a send's typed error on stderr, `<ErrorTag> (sendOutcome: …): <message>`, and gives exit code 1; rethrows anything else. */
export const reportFailure = (error: unknown): number => {
  if (!isOneRouteError(error)) throw error
  console.error(`${error._tag} (sendOutcome: ${error.sendOutcome}): ${error.message}`)
  return 1
}
