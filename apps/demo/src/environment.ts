import { startEmulator } from "@oneroute/testkit"

/** Where the demo sends: the real OneRoute when ONEROUTE_API_KEY is set, else an embedded emulator. */
export interface Target {
  readonly label: string
  readonly apiKey: string
  readonly baseUrl: string | undefined
  readonly from: string
  readonly to: string
  readonly close: () => Promise<void>
}

const DEMO_CUSTOMER = "+234 801 234 5678"

export const chooseTarget = async (env: NodeJS.ProcessEnv): Promise<Target> => {
  const apiKey = env.ONEROUTE_API_KEY
  if (apiKey !== undefined && apiKey !== "") {
    const from = env.ONEROUTE_DEMO_FROM
    const to = env.ONEROUTE_DEMO_TO
    if (!from || !to)
      throw new Error(
        "With ONEROUTE_API_KEY set, also set ONEROUTE_DEMO_FROM (your business number) and ONEROUTE_DEMO_TO (a customer who wrote to it in the last 24 hours)"
      )
    return {
      label: env.ONEROUTE_BASE_URL ?? "OneRoute",
      apiKey,
      baseUrl: env.ONEROUTE_BASE_URL,
      from,
      to,
      close: async () => {}
    }
  }
  const emulator = await startEmulator()
  const from = "2348000000001"
  // The customer writes first: that opens the 24-hour customer service window.
  emulator.receiveInbound({ from: "2348012345678", to: from })
  return {
    label: `embedded emulator at ${emulator.url}`,
    apiKey: emulator.apiKey,
    baseUrl: emulator.url,
    from,
    to: DEMO_CUSTOMER,
    close: () => emulator.close()
  }
}
