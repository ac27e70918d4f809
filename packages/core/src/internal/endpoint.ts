/**
 * What every endpoint's validator shares: valid input is answered at once by plain code; invalid
 * input goes to the endpoint's schema (loaded on first need) for its verdict and every issue's
 * message. Importing `effect/Schema` costs about 190 ms, which a valid send never pays.
 */
import * as Either from "effect/Either"
import type * as Schema from "effect/Schema"
import type { InvalidInputError } from "../Errors.js"

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
    judge ??= Promise.all([import("./validation.js"), loadSchema()]).then(([{ validator }, schema]) =>
      validator(schema)
    )
    return judge.then((validate) => validate(input))
  }
}
