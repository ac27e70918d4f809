import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { InvalidInputError } from "../Errors.js"

/** A copy that shares no memory with a (possibly huge) source string: V8's `slice` may be a view. */
export const detached = (text: string): string => JSON.parse(JSON.stringify(text)) as string

/** The longest issue message kept whole; any message echoing a large input is cut. */
const ISSUE_MESSAGE_LENGTH = 300

const truncateIssue = (message: string): string =>
  message.length <= ISSUE_MESSAGE_LENGTH
    ? message
    : detached(`${message.slice(0, ISSUE_MESSAGE_LENGTH)}… (message cut, ${message.length} characters)`)

/** A `ParseError` as the `InvalidInputError` that lists every issue with its path. */
const toInvalidInput = (error: ParseResult.ParseError): InvalidInputError => {
  const invalid = new InvalidInputError({
    // Messages echo the input: a 10 MB `to` must not make a 10 MB error (or keep it alive).
    issues: ParseResult.ArrayFormatter.formatErrorSync(error).map(({ path, message }) => ({
      path: path.map((key) => (typeof key === "number" ? key : truncateIssue(String(key)))),
      message: truncateIssue(message)
    }))
  })
  // Formatted now: until then V8's structured stack trace keeps the running closures, and
  // with them the input, alive.
  void invalid.stack
  return invalid
}

/**
 * A synchronous validator for `schema` (compiled once): the decoded, normalised value, or an
 * `InvalidInputError` listing every issue.
 */
export const validator = <A, I>(
  schema: Schema.Schema<A, I>
): ((input: unknown) => Either.Either<A, InvalidInputError>) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all" })
  return (input) => Either.mapLeft(decode(input), toInvalidInput)
}
