/**
 * The hostile OneRoute's attacks: answers written to break clients, each declaring whether
 * "OneRoute" carried out the POST before answering as it did (`acted`), which is the truth a
 * client's `sendOutcome` must respect.
 */
import { ECHO_ENCODINGS, type EchoEncoding, encodeKey } from "./encodings.js"

/** What an attack knows when it answers one request. */
export interface AttackContext {
  /** The API key the test gave the server (the one its clients send), to echo. */
  readonly apiKey: string
  /** The request body parsed as JSON (`undefined` when it is not JSON). */
  readonly request: unknown
  /** How many recipients the request names: `messages.length` when it is an array, else 1. */
  readonly recipients: number
  /** The endpoint's documented success envelope for this send, as scripted (a generic one when none was). */
  readonly success: unknown
}

/** A plain HTTP answer. */
export interface PlainAnswer {
  /** A complete answer. */
  readonly kind: "answer"
  /** The HTTP status. */
  readonly status: number
  /** Headers to send, by name. */
  readonly headers?: Readonly<Record<string, string>>
  /** The body (default empty). */
  readonly body?: string
}

/** An answer whose stream breaks on purpose. */
export interface StreamFault {
  /** How the stream breaks. */
  readonly kind:
    | "reset-after-headers"
    | "reset-mid-body"
    | "content-length-too-large"
    | "hang-mid-body"
    | "broken-chunked"
  /** The status of the answer that breaks. */
  readonly status: number
  /** The body the answer starts to send. */
  readonly body: string
}

/** How the hostile server answers one request. */
export type HostileAnswer = PlainAnswer | StreamFault

/** The families of attacks, for reports. */
export type HostileAttackGroup =
  | "status"
  | "stream"
  | "deep-json"
  | "huge-json"
  | "key-echo"
  | "recipient-status"
  | "retry-after"
  | "success"
  | "refusal"

/**
 * One scripted attack.
 *
 * @since 0.3.0
 */
export interface HostileAttack {
  /** Stable and unique: `status-303-location`, `echo-base64-in-message`, … */
  readonly name: string
  /** The attack's group (see the README's table). */
  readonly group: HostileAttackGroup
  /** Whether "OneRoute" carried out the POST before answering: then no client may say `not-sent`. */
  readonly acted: boolean
  /** One line for reports. */
  readonly description: string
  /** `"success"`: a documented success; the send must resolve with the endpoint's result. */
  readonly expect?: "success"
  /**
   * For 429 answers: whether `Retry-After` is outside RFC 9110's grammar (`"invalid"`, so a client
   * must not read a wait from it) or a valid wait far beyond any retry policy (`"beyond-max"`,
   * so the error surfaces at once instead of a sleep).
   */
  readonly retryAfter?: "invalid" | "beyond-max"
  /**
   * Every per-recipient entry carries a status a client cannot recognise (neither `"success"` nor
   * a failure word), with a message id: no outcome may say `"failed"` (nor `"sent"`).
   */
  readonly unrecognisedRecipientStatus?: boolean
  /** The message id every per-recipient entry carries: an outcome in an unrecognised state keeps it. */
  readonly recipientMessageId?: string
  /** The answer never ends: only the client's timeout ends the send. */
  readonly hangs?: boolean
  /** The answer to each request, made from what the request sent. */
  readonly answer: (context: AttackContext) => HostileAnswer
}

const JSON_TYPE = { "content-type": "application/json" } as const
const HTML_TYPE = { "content-type": "text/html; charset=utf-8" } as const

/** A per-recipient message id, as WhatsApp writes them. */
const WAMID = "wamid.HBgNMjM0ODAxMjM0NTYwMRUCABEYEjQ2"

const json = (status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): PlainAnswer => ({
  kind: "answer",
  status,
  headers: { ...JSON_TYPE, ...headers },
  body: JSON.stringify(value)
})

const html = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): PlainAnswer => ({
  kind: "answer",
  status,
  headers: { ...HTML_TYPE, ...headers },
  body
})

/**
 * JSON text of `template` where each string equal to a token is replaced by raw JSON text (a
 * deep structure, or a string written with escapes JSON.stringify would not choose).
 */
const jsonText = (template: unknown, replacements: Readonly<Record<string, string>>): string => {
  let text = JSON.stringify(template)
  for (const [token, raw] of Object.entries(replacements)) text = text.split(JSON.stringify(token)).join(raw)
  return text
}

const dataOf = (success: unknown): unknown =>
  typeof success === "object" && success !== null && "data" in success ? success.data : null

const entries = (context: AttackContext, entry: (index: number) => unknown): ReadonlyArray<unknown> =>
  Array.from({ length: context.recipients }, (_, index) => entry(index))

const ECHO = "@@hostile-echo@@"
const DEEP = "@@hostile-deep@@"

/** The key in one encoding as a JSON string literal: `json-unicode` written as real `\uXXXX` escapes (it decodes to the key). */
const echoLiteral = (context: AttackContext, encoding: EchoEncoding): string =>
  encoding === "json-unicode"
    ? `"${encodeKey(context.apiKey, encoding)}"`
    : JSON.stringify(encodeKey(context.apiKey, encoding))

/** Header values are Latin-1: `…` becomes `...`. */
const headerValue = (text: string): string => text.replace(/…/g, "...")

const LEVELS = 10_000
const deepArray = "[".repeat(LEVELS) + "]".repeat(LEVELS)
const deepObject = `${'{"a":'.repeat(LEVELS)}1${"}".repeat(LEVELS)}`
const KIB = 1024
const huge = (bytes: number) => "x".repeat(bytes)

const STATUS_TEXT: Readonly<Record<number, string>> = {
  408: "Request Timeout",
  409: "Conflict",
  444: "No Response",
  499: "Client Closed Request",
  500: "Internal Server Error"
}

/** Every odd status after OneRoute carried out the POST. */
const statusAttacks = (): ReadonlyArray<HostileAttack> => [
  ...[301, 302, 303, 307, 308].flatMap(
    (status): ReadonlyArray<HostileAttack> => [
      {
        name: `status-${status}-with-location`,
        group: "status",
        acted: true,
        description: `${status} with Location after acting (a redirect a client must not follow with a second POST)`,
        answer: () => ({
          kind: "answer",
          status,
          headers: { location: "/api/public/conversation/moved", "content-type": "text/plain" },
          body: ""
        })
      },
      {
        name: `status-${status}-without-location`,
        group: "status",
        acted: true,
        description: `${status} without Location after acting`,
        answer: () => ({ kind: "answer", status, headers: { "content-type": "text/plain" }, body: "" })
      }
    ]
  ),
  ...[408, 409, 499, 444, 500].map(
    (status): HostileAttack => ({
      name: `status-${status}`,
      group: "status",
      acted: true,
      description: `${status} with a failure envelope after acting (a gateway's answer)`,
      answer: () => json(status, { data: null, message: STATUS_TEXT[status], success: false })
    })
  ),
  ...[502, 503, 504].map(
    (status): HostileAttack => ({
      name: `status-${status}-html`,
      group: "status",
      acted: true,
      description: `${status} with a gateway's HTML page after acting`,
      answer: () =>
        html(status, `<html><body><h1>${status}</h1><p>The upstream did not answer in time.</p></body></html>`)
    })
  ),
  ...[200, 201, 202, 204].map(
    (status): HostileAttack => ({
      name: `status-${status}-empty`,
      group: "status",
      acted: true,
      description: `${status} with an empty body after acting`,
      answer: () => ({ kind: "answer", status, headers: {}, body: "" })
    })
  ),
  {
    name: "status-200-html",
    group: "status",
    acted: true,
    description: "200 with an HTML page after acting",
    answer: () => html(200, "<!doctype html><html><body>Message queued</body></html>")
  },
  {
    name: "status-200-truncated-json",
    group: "status",
    acted: true,
    description: "200 with the success envelope cut in half",
    answer: ({ success }) => {
      const text = JSON.stringify(success)
      return { kind: "answer", status: 200, headers: JSON_TYPE, body: text.slice(0, Math.floor(text.length / 2)) }
    }
  },
  {
    name: "status-200-other-shape",
    group: "status",
    acted: true,
    description: "200 with JSON of another shape",
    answer: () => json(200, { ok: true, result: { id: 42, accepted: ["yes"] } })
  },
  {
    name: "status-200-success-false",
    group: "status",
    acted: true,
    description: "200 with success: false after acting",
    answer: () => json(200, { data: null, message: "Message could not be confirmed", success: false })
  },
  ...[400, 422].map(
    (status): HostileAttack => ({
      name: `status-${status}-data-shows-sent`,
      group: "status",
      acted: true,
      description: `${status}, success: false, whose data is the documented success data (something was sent)`,
      answer: ({ success }) => json(status, { data: dataOf(success), message: "partial", success: false })
    })
  ),
  {
    name: "status-400-recipient-sent",
    group: "status",
    acted: true,
    description: '400 {data:[{status:"success",response:"wamid.1"}], success:false, message:"partial"}',
    answer: () => json(400, { data: [{ status: "success", response: "wamid.1" }], success: false, message: "partial" })
  }
]

const streamAttacks = (): ReadonlyArray<HostileAttack> =>
  (
    [
      ["reset-after-headers", "a connection reset right after the 200 headers"],
      ["reset-mid-body", "a connection reset in the middle of the success body"],
      ["content-length-too-large", "Content-Length larger than the body, then the connection closes"],
      ["hang-mid-body", "half of the success body, then nothing: the body never ends"],
      ["broken-chunked", "chunked encoding with a chunk size that is not hexadecimal"]
    ] as const
  ).map(([kind, description]) => ({
    name: `stream-${kind}`,
    group: "stream",
    acted: true,
    description: `${description}, after acting`,
    ...(kind === "hang-mid-body" ? { hangs: true } : {}),
    answer: ({ success }) => ({ kind, status: 200, body: JSON.stringify(success) })
  }))

const deepAttacks = (): ReadonlyArray<HostileAttack> =>
  (
    [
      ["array", deepArray],
      ["object", deepObject]
    ] as const
  ).flatMap(
    ([shape, deep]): ReadonlyArray<HostileAttack> => [
      {
        name: `deep-${shape}-in-data`,
        group: "deep-json",
        acted: true,
        description: `a success envelope whose data is ${LEVELS} levels of ${shape === "array" ? "[" : '{"a":'}`,
        answer: () => ({
          kind: "answer",
          status: 200,
          headers: JSON_TYPE,
          body: jsonText({ data: DEEP, message: "Message sent", success: true }, { [DEEP]: deep })
        })
      },
      {
        name: `deep-${shape}-in-recipient-response`,
        group: "deep-json",
        acted: true,
        description: `a success envelope whose per-recipient entries are failed with a response ${LEVELS} levels deep`,
        answer: (context) => ({
          kind: "answer",
          status: 200,
          headers: JSON_TYPE,
          body: jsonText(
            { data: entries(context, () => ({ status: "failed", response: DEEP })), message: "Sent", success: true },
            { [DEEP]: deep }
          )
        })
      }
    ]
  )

const hugeAttacks = (): ReadonlyArray<HostileAttack> => [
  {
    name: "huge-5-mib-body",
    group: "huge-json",
    acted: true,
    description: "the success envelope padded to 5 MiB",
    answer: ({ success }) => json(200, { ...(success as object), padding: huge(5 * KIB * KIB) })
  },
  {
    name: "huge-message-in-success",
    group: "huge-json",
    acted: true,
    description: "a success envelope whose message is a 900 KiB string",
    answer: ({ success }) => json(200, { ...(success as object), message: huge(900 * KIB) })
  },
  {
    name: "huge-message-in-refusal",
    group: "huge-json",
    acted: false,
    description: "a 400 refusal (data: null) whose message is a 900 KiB string",
    answer: () => json(400, { data: null, message: huge(900 * KIB), success: false })
  },
  {
    name: "huge-recipient-status",
    group: "huge-json",
    acted: true,
    unrecognisedRecipientStatus: true,
    recipientMessageId: WAMID,
    description:
      'a success envelope whose first per-recipient status is a 900 KiB string (the others "queued"), with message ids: the body stays under the SDK\'s 1 MiB read cap',
    answer: (context) =>
      json(200, {
        data: entries(context, (index) => ({ status: index === 0 ? huge(900 * KIB) : "queued", response: WAMID })),
        message: "Sent",
        success: true
      })
  }
]

const echoAttacks = (): ReadonlyArray<HostileAttack> =>
  ECHO_ENCODINGS.flatMap(
    (encoding): ReadonlyArray<HostileAttack> => [
      {
        name: `echo-${encoding}-in-refusal-message`,
        group: "key-echo",
        acted: false,
        description: `a 400 refusal whose message echoes the key (${encoding})`,
        answer: (context) => ({
          kind: "answer",
          status: 400,
          headers: JSON_TYPE,
          body: jsonText(
            { data: null, message: ECHO, success: false },
            { [ECHO]: echoLiteral(context, encoding).replace(/^"/, '"Invalid apiKey: ') }
          )
        })
      },
      {
        name: `echo-${encoding}-in-success-message`,
        group: "key-echo",
        acted: true,
        description: `the documented success whose message echoes the key (${encoding})`,
        answer: (context) => ({
          kind: "answer",
          status: 200,
          headers: JSON_TYPE,
          body: jsonText({ ...(context.success as object), message: ECHO }, { [ECHO]: echoLiteral(context, encoding) })
        })
      },
      {
        name: `echo-${encoding}-in-recipient-response`,
        group: "key-echo",
        acted: true,
        description: `a success envelope whose failed per-recipient response echoes the key (${encoding})`,
        answer: (context) => ({
          kind: "answer",
          status: 200,
          headers: JSON_TYPE,
          body: jsonText(
            { data: entries(context, () => ({ status: "failed", response: ECHO })), message: "Sent", success: true },
            { [ECHO]: echoLiteral(context, encoding) }
          )
        })
      },
      {
        name: `echo-${encoding}-in-recipient-status`,
        group: "key-echo",
        acted: true,
        unrecognisedRecipientStatus: true,
        recipientMessageId: WAMID,
        description: `a success envelope whose per-recipient status echoes the key (${encoding}), with a message id`,
        answer: (context) => ({
          kind: "answer",
          status: 200,
          headers: JSON_TYPE,
          body: jsonText(
            { data: entries(context, () => ({ status: ECHO, response: WAMID })), message: "Sent", success: true },
            { [ECHO]: echoLiteral(context, encoding) }
          )
        })
      },
      {
        name: `echo-${encoding}-in-headers`,
        group: "key-echo",
        acted: true,
        description: `a 502 whose headers (and a Location) echo the key (${encoding})`,
        answer: (context) => {
          const echoed = headerValue(encodeKey(context.apiKey, encoding))
          return html(502, "<html><body>Bad Gateway</body></html>", {
            "x-echo-apikey": echoed,
            "www-authenticate": `ApiKey realm="${echoed}"`,
            location: `/login?apiKey=${echoed}`
          })
        }
      },
      {
        name: `echo-${encoding}-in-html`,
        group: "key-echo",
        acted: true,
        description: `a 200 HTML page that echoes the key (${encoding})`,
        answer: (context) =>
          html(
            200,
            `<html><body><p>Request with apiKey ${encodeKey(context.apiKey, encoding)} accepted</p></body></html>`
          )
      }
    ]
  )

/** Statuses a template client cannot recognise, each with a message id. */
const ODD_RECIPIENT_STATUSES: ReadonlyArray<readonly [string, { readonly value: unknown } | undefined]> = [
  ["SUCCESS", { value: "SUCCESS" }],
  ["sent", { value: "sent" }],
  ["queued", { value: "queued" }],
  ["delivered", { value: "delivered" }],
  ["true", { value: true }],
  ["1", { value: 1 }],
  ["null", { value: null }],
  ["missing", undefined]
]

const recipientStatusAttacks = (): ReadonlyArray<HostileAttack> =>
  ODD_RECIPIENT_STATUSES.map(([label, status]) => ({
    name: `recipient-status-${label}`,
    group: "recipient-status",
    acted: true,
    unrecognisedRecipientStatus: true,
    recipientMessageId: WAMID,
    description: `a success envelope whose per-recipient status is ${status === undefined ? "missing" : JSON.stringify(status.value)}, with a message id`,
    answer: (context) =>
      json(200, {
        data: entries(context, () =>
          status === undefined ? { response: WAMID } : { status: status.value, response: WAMID }
        ),
        message: "Sent",
        success: true
      })
  }))

/** An HTTP-date `days` ahead of now. */
const daysAhead = (days: number): string => new Date(Date.now() + days * 24 * 60 * 60 * 1000).toUTCString()

const retryAfterAttacks = (): ReadonlyArray<HostileAttack> =>
  (
    [
      ["-5", "invalid"],
      ["1.5", "invalid"],
      ["1, 2", "invalid"],
      ["foo 2030", "invalid"],
      ["99999999999999999999", "beyond-max"],
      ["http-date-34-days", "beyond-max"]
    ] as const
  ).map(([value, kind]) => ({
    name: `retry-after-${value.replace(/[^a-z0-9-]+/gi, "_")}`,
    group: "retry-after",
    // A 429 is the documented proof that nothing was sent: the client may retry it.
    acted: false,
    retryAfter: kind,
    description: `429 with Retry-After: ${value === "http-date-34-days" ? "an HTTP-date 34 days ahead" : JSON.stringify(value)}`,
    answer: () =>
      json(
        429,
        { data: null, message: "Too many requests", success: false },
        { "retry-after": value === "http-date-34-days" ? daysAhead(34) : value }
      )
  }))

const refusalAttacks = (): ReadonlyArray<HostileAttack> => [
  {
    name: "refusal-401-invalid-api-key",
    group: "refusal",
    acted: false,
    description: 'the documented 401 {"data":null,"message":"Invalid API Key","success":false}',
    answer: () => json(401, { data: null, message: "Invalid API Key", success: false })
  },
  {
    name: "refusal-400-data-null",
    group: "refusal",
    acted: false,
    description: "a 400 refusal with data: null",
    answer: () => json(400, { data: null, message: "The customer service window is closed", success: false })
  },
  {
    name: "refusal-429",
    group: "refusal",
    acted: false,
    description: "429 without acting, no Retry-After",
    answer: () => json(429, { data: null, message: "Too many requests", success: false })
  },
  {
    name: "refusal-429-echo-in-retry-after",
    group: "key-echo",
    acted: false,
    retryAfter: "invalid",
    description: "429 whose Retry-After echoes the key",
    answer: (context) =>
      json(429, { data: null, message: "Too many requests", success: false }, { "retry-after": context.apiKey })
  }
]

const successAttacks = (): ReadonlyArray<HostileAttack> => [
  {
    name: "valid-success",
    group: "success",
    acted: true,
    expect: "success",
    description: "the endpoint's documented success",
    answer: ({ success }) => json(200, success)
  }
]

/** Every attack, in a stable order. */
export const allAttacks: ReadonlyArray<HostileAttack> = [
  ...statusAttacks(),
  ...streamAttacks(),
  ...deepAttacks(),
  ...hugeAttacks(),
  ...echoAttacks(),
  ...recipientStatusAttacks(),
  ...retryAfterAttacks(),
  ...refusalAttacks(),
  ...successAttacks()
]
