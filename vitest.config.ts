import { defineConfig } from "vitest/config"
import { timeouts } from "./vitest.shared.js"

/** The repository's own checks (test/); each package has its own vitest config. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    ...timeouts,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]]
  }
})
