/** The reason `promise` rejects with; fails the test if it resolves. */
export const rejectionOf = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error
  )

/** What `build` throws; fails the test if it returns. */
export const thrownBy = (build: () => unknown): unknown => {
  try {
    build()
  } catch (error) {
    return error
  }
  throw new Error("expected createClient to throw")
}
