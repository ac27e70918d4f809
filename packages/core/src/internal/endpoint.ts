/**
 * What every endpoint's validator shares: valid input is answered at once by plain code; invalid
 * input goes to the endpoint's schema (loaded on first need) for its verdict and every issue's
 * message. Importing `effect/Schema` costs about 190 ms, which a valid send never pays.
 */
import * as Either from "effect/Either"
import type * as Schema from "effect/Schema"
import { InvalidInputError } from "../Errors.js"

/** The deepest input the schemas are asked about: their messages walk it recursively. */
const MAX_INPUT_DEPTH = 64

/**
 * Whether `value` nests objects or arrays deeper than `max` levels (a cycle counts as infinitely
 * deep), walked without recursion, so that no input can overflow the stack.
 */
const nestsDeeperThan = (value: unknown, max: number): boolean => {
  const pending: Array<readonly [unknown, number]> = [[value, 0]]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [current, depth] = next
    if (typeof current !== "object" || current === null) continue
    if (depth >= max) return true
    for (const child of Object.values(current)) pending.push([child, depth + 1])
  }
  return false
}

/** An endpoint's `validate`: `valid` is the plain validator, `loadSchema` imports the schema that judges the rest. */
export const validating = <Request>(
  valid: (input: unknown) => Request | undefined,
  // biome-ignore lint/suspicious/noExplicitAny: the schema's encoded side is the caller's input, any shape.
  loadSchema: () => Promise<Schema.Schema<Request, any>>
) => {
  let judge: Promise<(input: unknown) => Either.Either<Request, InvalidInputError>> | undefined
  return (
    input: unknown
  ): Either.Either<Request, InvalidInputError> | Promise<Either.Either<Request, InvalidInputError>> => {
    const request = valid(input)
    if (request !== undefined) return Either.right(request)
    if (nestsDeeperThan(input, MAX_INPUT_DEPTH)) {
      const message = `The input nests objects or arrays deeper than ${MAX_INPUT_DEPTH} levels`
      return Either.left(new InvalidInputError({ issues: [{ path: [], message }] }))
    }
    judge ??= Promise.all([import("./validation.js"), loadSchema()]).then(([{ validator }, schema]) =>
      validator(schema)
    )
    return judge.then((validate) => validate(input))
  }
}
