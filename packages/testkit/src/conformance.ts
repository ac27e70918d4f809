/**
 * `@oneroute/testkit/conformance`: the runtime-agnostic part of the testkit (only `fetch`),
 * for browser and Deno tests.
 *
 * @since 0.1.0
 */
export * from "./ConformanceSuite.js"
export * from "./ConformanceTargets.js"
export * from "./DocumentedExamples.js"
export * from "./EmulatorControl.js"
export * from "./IdempotencyStoreSuite.js"
export * from "./TransportSuite.js"
export * from "./WebhookSuite.js"
