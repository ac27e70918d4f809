import type { YieldableError } from "effect/Cause"
import * as Data from "effect/Data"

/**
 * `Data.TaggedError` under a type written out here. The declarations TypeScript emits for a class
 * extending `Data.TaggedError` copy its constructor type, which uses `Types.VoidIfEmpty`, a type
 * effect added after 3.14: an app on effect 3.14 could not type-check the SDK's `.d.ts`.
 */
export const TaggedError: <Tag extends string>(
  tag: Tag
) => new <A extends Record<string, any>>(
  args: A
) => YieldableError & { readonly _tag: Tag } & Readonly<A> = Data.TaggedError as never
