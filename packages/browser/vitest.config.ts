/// <reference types="@vitest/browser/providers/playwright" />
import { defineConfig } from "vitest/config"
import { timeouts } from "../../vitest.shared.js"

export default defineConfig({
  // Modules Vite would only find once a test imports them (through @oneroute/core and the
  // testkit's conformance targets): found mid-run, they make Vite reload the page and rerun tests.
  optimizeDeps: { include: ["effect/FiberRefs", "effect/Runtime", "effect/Scope", "effect/Tracer"] },
  test: {
    include: ["test/**/*.test.ts"],
    ...timeouts,
    // Runs in Node: starts the emulator and provides its URL (and a refused URL) to the browser.
    globalSetup: ["test/globalSetup.ts"],
    // The test files share one emulator, whose state each test resets.
    fileParallelism: false,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
    browser: {
      enabled: true,
      provider: "playwright",
      headless: true,
      // No PNGs in test/: the expected failures (it.fails) would leave one each run.
      screenshotFailures: false,
      instances: [
        {
          browser: "chromium",
          launch: {
            executablePath: "/usr/bin/chromium",
            args: [
              "--no-sandbox",
              "--disable-gpu",
              "--disable-background-networking",
              "--disable-component-update",
              "--disable-sync",
              "--no-first-run"
            ]
          }
        }
      ]
    }
  }
})
