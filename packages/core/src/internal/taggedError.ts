/**
 * The base of the SDK's error classes: an `Error` with a `_tag` (what `Effect.catchTag` and
 * `isOneRouteError` read), its fields as own properties, `name` = the tag, and `toJSON` giving
 * the fields. Plain JavaScript rather than `Data.TaggedError`, whose Effect machinery (structural
 * equality, `yield*`) would put about 7 KB (min+gz) of Effect's runtime into every browser page.
 */
export const TaggedError = <Tag extends string>(
  tag: Tag
): (new <A extends Record<string, unknown>>(
  args: A
) => Error & {
  /** The class's name as a literal, for `Effect.catchTag`, `isOneRouteError` and `switch`. */
  readonly _tag: Tag
  /** The error's fields as plain JSON (with `_tag`), never a secret. */
  toJSON(): unknown
} & Readonly<A>) => {
  class Base extends Error {
    readonly _tag: Tag = tag
    constructor(args: Record<string, unknown>) {
      super()
      Object.assign(this, args)
    }
    toJSON(): unknown {
      return { ...this }
    }
  }
  Object.defineProperty(Base.prototype, "name", { value: tag, configurable: true, writable: true })
  return Base as never
}
