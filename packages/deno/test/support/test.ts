/**
 * `Deno.test` with a time limit: `deno test` has none of its own, so a hung send would stall
 * the whole run. The limit matches the vitest suites' (vitest.shared.ts), sized for a busy
 * 2-core CI machine.
 */
export const TEST_TIMEOUT_MS = 60_000

const limited =
  (name: string, fn: (t: Deno.TestContext) => void | Promise<void>) =>
  async (t: Deno.TestContext): Promise<void> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`"${name}" did not finish within ${TEST_TIMEOUT_MS} ms`)),
        TEST_TIMEOUT_MS
      )
    })
    try {
      await Promise.race([fn(t), expired])
    } finally {
      clearTimeout(timer)
    }
  }

/** Registers a Deno test that fails after `TEST_TIMEOUT_MS`. */
export function test(name: string, fn: (t: Deno.TestContext) => void | Promise<void>): void
export function test(definition: Deno.TestDefinition): void
export function test(
  nameOrDefinition: string | Deno.TestDefinition,
  fn?: (t: Deno.TestContext) => void | Promise<void>
): void {
  const definition = typeof nameOrDefinition === "string" ? { name: nameOrDefinition, fn: fn! } : nameOrDefinition
  Deno.test({ ...definition, fn: limited(definition.name, definition.fn) })
}
