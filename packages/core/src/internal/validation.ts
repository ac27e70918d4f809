import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { InvalidInputError } from "../Errors.js"
import { detach } from "./answer/shown.js"

/** The longest issue message kept whole; any message echoing a large input is cut. */
const ISSUE_MESSAGE_LENGTH = 300

const truncateIssue = (message: string): string =>
  message.length <= ISSUE_MESSAGE_LENGTH
    ? message
    : detach(`${message.slice(0, ISSUE_MESSAGE_LENGTH)}… (message cut, ${message.length} characters)`)

/**
 * The most issues an `InvalidInputError` lists; the rest are counted in one last issue. A 32 KiB
 * body of thousands of bad recipients made a 1.8 MB error (and relay answer).
 */
export const MAX_ISSUES = 20

/** A `ParseError` as the `InvalidInputError` that lists its issues (at most {@link MAX_ISSUES}) with their paths. */
const toInvalidInput = (error: ParseResult.ParseError): InvalidInputError => {
  const all = ParseResult.ArrayFormatter.formatErrorSync(error)
  // Messages echo the input: a 10 MB `to` must not make a 10 MB error (or keep it alive).
  const issues = all.slice(0, MAX_ISSUES).map(({ path, message }) => ({
    path: path.map((key) => (typeof key === "number" ? key : truncateIssue(String(key)))),
    message: truncateIssue(message)
  }))
  if (all.length > MAX_ISSUES) {
    issues.push({ path: [], message: `… and ${all.length - MAX_ISSUES} more issues of the same input, not listed` })
  }
  const invalid = new InvalidInputError({ issues })
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
