import type { Fault, RegisteredTemplate, SentMessage, SentTemplate } from "./internal/emulator/types.js"
import * as internal from "./internal/startEmulator.js"

export type {
  /** A WhatsApp business number connected to the emulated account (`{ number, name }`). */
  Channel,
  /** A one-shot (or `times`-shot) fault for the next requests to either send endpoint, FIFO. */
  Fault,
  /** Options every fault accepts: `times` (default 1). */
  FaultBase,
  /** `{ kind: "hang"; accept? }`: never answer until `reset()`/`close()`. */
  HangFault,
  /** `{ kind: "latency"; ms }`: delay, then normal handling. */
  LatencyFault,
  /** `{ kind: "malformed" }`: accepted, 200 with a non-JSON body. */
  MalformedFault,
  /** `{ kind: "rate-limit"; retryAfter? }`: 429 "Too many requests". */
  RateLimitFault,
  /**
   * A template registered on a channel: `{ channel, name, parameters, buttons }` (counts).
   *
   * @since 0.2.0
   */
  RegisteredTemplate,
  /** `{ kind: "reset"; when }`: connection destroyed without a response. */
  ResetFault,
  /** A message the emulator accepted: `{ id, from, to, message, at }`. */
  SentMessage,
  /**
   * A template message the emulator accepted for one recipient:
   * `{ id, from, to, template: { name, parameters, buttons }, save?, metadata?, at }`.
   *
   * @since 0.2.0
   */
  SentTemplate,
  /** `{ kind: "status"; status; body?; contentType? }`: answer with that status. */
  StatusFault,
  /** `{ kind: "truncated" }`: accepted, 200 with the first half of the JSON body. */
  TruncatedFault
} from "./internal/emulator/types.js"

/** Options for {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free port. */
  readonly port?: number
  /** Interface to bind; default `127.0.0.1`. */
  readonly host?: string
  /** API key clients must send in the `apiKey` header; default `test_` + 24 random hex characters. */
  readonly apiKey?: string
  /** Connected business numbers; default `[{ number: "2348000000001", name: "OneRoute Demo" }]`. A missing name defaults to the number. */
  readonly channels?: ReadonlyArray<{ readonly number: string; readonly name?: string }>
  /** Initial emulator clock time (the clock keeps ticking from there); default real time. */
  readonly now?: Date
  /**
   * Browser origins (`"http://localhost:5173"`: scheme, host, port) whose pages may call the
   * emulator, its controls included (`/__emulator/info` shows the API key). Default: pages served
   * from loopback (`localhost`, `127.0.0.1`, `[::1]`, any port), as test runners serve theirs.
   * `[]` refuses every browser page. A request with another `Origin` gets 403 and no CORS
   * header; requests without one (Node, Deno, curl) are always served.
   *
   * @since 0.2.0
   */
  readonly allowedOrigins?: ReadonlyArray<string>
}

/** The emulator clock: real time plus an offset you control. It keeps ticking in real time. */
export interface EmulatorClock {
  /** Current emulator time. */
  now(): Date
  /** Move the clock by `ms` milliseconds (negative goes back). */
  advance(ms: number): void
  /**
   * Make `now()` return `date` (and tick on from there). Throws TypeError, and keeps the clock, for
   * an invalid date or one outside years 0000–9999 (the same bound holds for `advance`).
   */
  set(date: Date): void
}

/** A running OneRoute emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  readonly url: string
  /** The API key the send endpoint accepts. */
  readonly apiKey: string
  /** Record an inbound WhatsApp message from customer `from` to business `to` at `at` (default: emulator now), opening the 24 h window. */
  receiveInbound(input: { readonly from: string; readonly to: string; readonly at?: Date }): void
  /** Every accepted session message, in order. */
  sent(): ReadonlyArray<SentMessage>
  /**
   * Every template message accepted, one entry per recipient that got `"success"`, in order.
   *
   * @since 0.2.0
   */
  sentTemplates(): ReadonlyArray<SentTemplate>
  /**
   * Register (or replace) template `name` on connected channel `channel`, with the number of
   * parameters (and buttons, default 0) a message must give it. Throws TypeError on bad input.
   * Every channel starts with the default templates; `reset()` restores them.
   *
   * @since 0.2.0
   */
  registerTemplate(input: {
    readonly channel: string
    readonly name: string
    readonly parameters: number
    readonly buttons?: number
  }): RegisteredTemplate
  /**
   * Every registered template, channel by channel.
   *
   * @since 0.2.0
   */
  templates(): ReadonlyArray<RegisteredTemplate>
  /**
   * Queue a fault for the next request(s) to either send endpoint. Throws TypeError on an invalid
   * fault, and `EmulatorLimitError` when 100 faults already wait (one fault with `times: n` is one).
   */
  inject(fault: Fault): void
  /** The emulator clock used for the 24 h window and timestamps. */
  readonly clock: EmulatorClock
  /** Clear sent messages and templates, faults, inbound windows and the request count; restore the default templates; release hanging requests; clock back to real time. */
  reset(): void
  /** Stop the server and destroy open connections (hanging requests included). Idempotent. */
  close(): Promise<void>
  /** Number of requests to either send endpoint (CORS preflights excluded), since start or the last `reset()`. */
  requests(): number
}

/** Start an emulator listening on `host:port` (default `127.0.0.1`, a free port). */
export const startEmulator: (options?: EmulatorOptions) => Promise<Emulator> = internal.startEmulator
