import { conformanceCases, connectEmulator, type EmulatorControl } from "@oneroute/testkit/conformance"
import { beforeAll, beforeEach, describe, expect, inject, it } from "vitest"
import { createClient } from "../src/index.js"

describe("conformance in headless Chromium (fetch, direct mode)", () => {
  let control: EmulatorControl
  beforeAll(async () => {
    control = await connectEmulator(inject("emulatorUrl"))
  })
  beforeEach(() => control.reset())

  it("really runs in a browser", () => {
    expect(typeof window).toBe("object")
    expect(navigator.userAgent).toMatch(/Chrome/)
  })

  for (const testCase of conformanceCases) {
    it(testCase.name, () =>
      testCase.run(
        {
          createClient: (options) => createClient({ ...options, dangerouslyAllowBrowser: true }),
          // fetch gives the same TypeError for a refused connection and a reset.
          detectsRefusedConnection: false,
          refusedUrl: inject("refusedUrl")
        },
        control
      )
    )
  }
})
