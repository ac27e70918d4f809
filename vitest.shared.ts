/**
 * Timeouts every vitest config uses, sized for a busy 2-core CI machine (see
 * scripts/ci-under-load.mjs). A test's own child processes and servers get `childProcessTimeout`,
 * well inside `testTimeout`, so a stuck child fails its test with its own message.
 */
export const childProcessTimeout = 45_000

export const timeouts = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  teardownTimeout: 30_000
} as const
