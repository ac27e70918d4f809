import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Tracer from "effect/Tracer"
import type { OutcomeEvent } from "../Campaigns.js"

/** The span's name, one per BullMQ job a worker runs. */
export const JOB_SPAN_NAME = "OneRouteQueue.job"

/** The span's name for each ledger transition: the ledger's `unknown` is what the docs call parked. */
const TRANSITIONS: Record<OutcomeEvent["transition"], string> = {
  sent: "sent",
  "not-sent": "not-sent",
  released: "released",
  unknown: "parked",
  skipped: "skipped"
}

/** A key that is a phone number (the default key is the normalised number): personal data, never exported. */
const looksLikeNumber = (key: string): boolean => /^\+?[0-9]{5,}$/.test(key)

/** Writes one transition onto the job's span: ids and outcome only, never a number or a text. */
export const annotate = (span: Tracer.Span, event: OutcomeEvent): void => {
  span.attribute("oneroute.campaign.id", event.campaignId)
  if (!looksLikeNumber(event.key)) span.attribute("oneroute.message.key", event.key)
  span.attribute("oneroute.ledger.transition", TRANSITIONS[event.transition])
  if (event.error !== undefined) span.attribute("oneroute.error.tag", event.error)
  if (event.viaFallback !== undefined) span.attribute("oneroute.via_fallback", event.viaFallback)
}

/**
 * Runs one job inside the span `OneRouteQueue.job` of `tracer`, ended with the job's result: what
 * the job throws (BullMQ's own errors included) is rethrown as it was, for BullMQ to read.
 */
export const inJobSpan = async <A>(
  tracer: Tracer.Tracer,
  attributes: Record<string, unknown>,
  run: (span: Tracer.Span) => Promise<A>
): Promise<A> => {
  const job = Effect.useSpan(JOB_SPAN_NAME, { kind: "consumer", captureStackTrace: false, attributes }, (span) =>
    Effect.tryPromise({ try: () => run(span), catch: (error) => error })
  )
  const exit = await Effect.runPromiseExit(Effect.withTracer(job, tracer))
  if (Exit.isSuccess(exit)) return exit.value
  throw Cause.squash(exit.cause)
}
