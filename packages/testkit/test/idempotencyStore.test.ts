import { IdempotencyStore } from "@oneroute/core/effect"
import { describe, it } from "vitest"
import { idempotencyStoreCases } from "../src/IdempotencyStoreSuite.js"

describe("IdempotencyStore contract: in memory", () => {
  for (const testCase of idempotencyStoreCases) {
    it(testCase.name, () => testCase.run(async () => IdempotencyStore.makeMemory()))
  }
})
