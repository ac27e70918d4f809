import { defineConfig } from "vitest/config"
import { timeouts } from "../../vitest.shared.js"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    ...timeouts,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]]
  }
})
