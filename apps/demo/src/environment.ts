import { createClient, Endpoint, type OneRouteClient } from "@oneroute/node"
import { startEmulator } from "@oneroute/testkit"

/** Where the demo sends: the real OneRoute when ONEROUTE_API_KEY is set, else an embedded emulator. */
export interface Target {
  readonly label: string
  readonly apiKey: string
  readonly baseUrl: string | undefined
  /** The business number the demo sends from by default (ONEROUTE_DEMO_FROM on OneRoute). */
  readonly from: string | undefined
  /** The customer the no-argument demo writes to (ONEROUTE_DEMO_TO on OneRoute). */
  readonly to: string | undefined
  /**
   * On the emulator, simulates `customer` writing to `business`, which opens the 24-hour window.
   * On OneRoute it does nothing: there the customer must really have written.
   */
  readonly openWindow: (customer: string, business: string) => void
  readonly close: () => Promise<void>
}

export const MISSING_DEMO_NUMBERS =
  "With ONEROUTE_API_KEY set, also set ONEROUTE_DEMO_FROM (your business number) and ONEROUTE_DEMO_TO (a customer who wrote to it in the last 24 hours)"

const DEMO_BUSINESS = "2348000000001"
const DEMO_CUSTOMER = "+234 801 234 5678"

/**
 * Both numbers as the SDK normalises them (`+234 801 234 5678` → `2348012345678`), or
 * `undefined` when it would reject either. The session endpoint's own validator answers valid
 * input at once (invalid input later, as a Promise: that is a rejection, left for the send).
 */
const normalisedPair = (customer: string, business: string) => {
  const checked = Endpoint.registry.sendSessionMessage.validate({ from: business, to: customer, message: "window" })
  if (checked instanceof Promise || checked._tag === "Left") return undefined
  return { customer: checked.right.to, business: checked.right.from }
}

export const chooseTarget = async (env: NodeJS.ProcessEnv): Promise<Target> => {
  const apiKey = env.ONEROUTE_API_KEY
  if (apiKey !== undefined && apiKey !== "") {
    return {
      label: env.ONEROUTE_BASE_URL ?? "OneRoute",
      apiKey,
      baseUrl: env.ONEROUTE_BASE_URL,
      from: env.ONEROUTE_DEMO_FROM || undefined,
      to: env.ONEROUTE_DEMO_TO || undefined,
      openWindow: () => {},
      close: async () => {}
    }
  }
  const emulator = await startEmulator()
  return {
    label: `embedded emulator at ${emulator.url}`,
    apiKey: emulator.apiKey,
    baseUrl: emulator.url,
    from: DEMO_BUSINESS,
    to: DEMO_CUSTOMER,
    openWindow: (customer, business) => {
      const numbers = normalisedPair(customer, business)
      // Numbers the SDK will reject, or a business number without a channel, are left for the send to report.
      if (numbers === undefined || numbers.business !== DEMO_BUSINESS) return
      emulator.receiveInbound({ from: numbers.customer, to: numbers.business })
    },
    close: () => emulator.close()
  }
}

export const clientFor = (target: Target): OneRouteClient =>
  createClient({ apiKey: target.apiKey, ...(target.baseUrl === undefined ? {} : { baseUrl: target.baseUrl }) })
