import type { InputIssue } from "@oneroute/core"
import { MessageText, Template, WhatsAppNumber } from "@oneroute/core/schema"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * A recipient that failed validation: its position in the input, its key when it had a usable
 * one, and its problems (at most 5, each cut to 200 characters).
 *
 * @since 0.1.0
 */
export interface InvalidRecipient {
  /** Its position in `recipients`, from 0. */
  readonly index: number
  /** Every problem with it, with its path (as `InvalidInputError` lists them). */
  readonly issues: ReadonlyArray<InputIssue>
}

/** Ledger keys and job ids hold no `:` (BullMQ refuses it in job ids) and no spaces. */
export const KEY_PATTERN = /^[A-Za-z0-9_.+=@-]{1,128}$/
export const CAMPAIGN_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/

const Key = Schema.String.pipe(
  Schema.pattern(KEY_PATTERN, {
    message: () => "A key is 1 to 128 letters, digits, _, -, ., +, = or @"
  })
)

/** A recipient as the worker sends it: normalised, one of the three kinds. */
export const Recipient = Schema.Struct({
  key: Schema.optionalWith(Key, { exact: true }),
  to: WhatsAppNumber,
  message: Schema.optionalWith(MessageText, { exact: true }),
  template: Schema.optionalWith(Template, { exact: true }),
  fallbackTemplate: Schema.optionalWith(Template, { exact: true })
}).pipe(
  Schema.filter((recipient) => {
    if ((recipient.message === undefined) === (recipient.template === undefined)) {
      return "A recipient has either message (a session message) or template, not both and not neither"
    }
    if (recipient.fallbackTemplate !== undefined && recipient.message === undefined) {
      return "fallbackTemplate goes with message (the template sent when the window is closed)"
    }
    return true
  })
)
export type Recipient = typeof Recipient.Type

const decodeRecipient = Schema.decodeUnknownEither(Recipient, { errors: "all", onExcessProperty: "ignore" })

const MAX_ISSUES = 5
const MAX_ISSUE_LENGTH = 200

const cut = (text: string) => (text.length <= MAX_ISSUE_LENGTH ? text : `${text.slice(0, MAX_ISSUE_LENGTH)}…`)

const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<InputIssue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .slice(0, MAX_ISSUES)
    .map(({ path, message }) => ({
      path: path.map((part) => (typeof part === "number" ? part : cut(String(part)))),
      message: cut(message)
    }))

/** A valid recipient with its ledger key (its own, or the normalised number). */
export interface KeyedRecipient {
  readonly key: string
  readonly recipient: Recipient
}

/** A recipient nests 4 levels (recipient, template, parameters, parameter) in about 250 values. */
const MAX_DEPTH = 8
const MAX_VALUES = 5_000

/**
 * Whether `input` nests deeper or holds more values than any recipient can: such input is
 * refused before the schema, whose error report would walk (and print) all of it.
 */
const tooDeepOrLarge = (input: unknown): boolean => {
  const pending: Array<[unknown, number]> = [[input, 1]]
  let seen = 0
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next
    if (++seen > MAX_VALUES || depth > MAX_DEPTH) return true
    if (typeof value !== "object" || value === null) continue
    if (Array.isArray(value) && value.length > MAX_VALUES) return true
    for (const child of Object.values(value)) pending.push([child, depth + 1])
  }
  return false
}

export const validateRecipient = (input: unknown, index: number): Either.Either<KeyedRecipient, InvalidRecipient> =>
  tooDeepOrLarge(input)
    ? Either.left({
        index,
        issues: [
          { path: [], message: `A recipient nests at most ${MAX_DEPTH} levels and holds at most ${MAX_VALUES} values` }
        ]
      })
    : Either.match(decodeRecipient(input), {
        onLeft: (error) => Either.left({ index, issues: issuesOf(error) }),
        onRight: (recipient) => Either.right({ key: recipient.key ?? recipient.to, recipient })
      })

/** The data of one BullMQ job: everything the worker needs, no secret. */
export const JobData = Schema.Struct({
  campaignId: Schema.String.pipe(Schema.pattern(CAMPAIGN_ID_PATTERN)),
  key: Key,
  generation: Schema.Int.pipe(Schema.between(0, 1_000_000)),
  from: WhatsAppNumber,
  recipient: Recipient
})
export type JobData = typeof JobData.Type

const decodeJob = Schema.decodeUnknownEither(JobData, { onExcessProperty: "ignore" })

/** The job's data, or the first problem with it (cut short: the data may be anything). */
export const decodeJobData = (data: unknown): Either.Either<JobData, string> =>
  tooDeepOrLarge(data)
    ? Either.left("nested too deep or too large")
    : Either.mapLeft(decodeJob(data), (error) => {
        const [first] = issuesOf(error)
        return first === undefined ? "invalid data" : `${first.path.join(".") || "(data)"}: ${first.message}`
      })

export const encodeJobData = Schema.encodeSync(JobData)

/** BullMQ job ids may not hold `:`; neither the campaign id nor the key can. */
export const jobIdOf = (campaignId: string, key: string, generation: number): string =>
  `${campaignId}/${key}/${generation}`
