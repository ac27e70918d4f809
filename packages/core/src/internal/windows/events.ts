/**
 * The tracker's inputs checked and normalised: numbers as a send normalises them, conversation
 * ids bounded, event times valid and never later than the moment they are recorded.
 */
import { type ConversationPair, type EventTime, WindowInputError } from "../../ConversationWindows.js"
import { validNumber } from "../sessionEndpoint.js"

/** The longest conversation id kept (OneRoute's are UUIDs, 36 characters). */
export const MAX_CONVERSATION_ID_LENGTH = 256

/** Longer than any way of writing a WhatsApp number; checked before normalising. */
const MAX_NUMBER_INPUT_LENGTH = 64

/** Printable ASCII without spaces: what an id looks like, and safe in a store key. */
const CONVERSATION_ID = /^[\x21-\x7e]+$/

const numberOf = (field: "from" | "to", input: unknown): string => {
  const digits = typeof input === "string" && input.length <= MAX_NUMBER_INPUT_LENGTH ? validNumber(input) : undefined
  if (digits === undefined) {
    throw new WindowInputError({
      field,
      problem: "must be a WhatsApp number: the country code and 8 to 15 digits (for example 2348012345678)"
    })
  }
  return digits
}

/** One store key for a pair of numbers: `<business>:<customer>`, both normalised. */
export const pairKey = (pair: ConversationPair): string => `${numberOf("from", pair?.from)}:${numberOf("to", pair?.to)}`

export const conversationIdOf = (input: unknown): string => {
  if (input === undefined) {
    throw new WindowInputError({ field: "conversationId", problem: "is required (or both from and to)" })
  }
  if (typeof input !== "string" || input.length > MAX_CONVERSATION_ID_LENGTH || !CONVERSATION_ID.test(input)) {
    throw new WindowInputError({
      field: "conversationId",
      problem: `must be 1 to ${MAX_CONVERSATION_ID_LENGTH} printable characters without spaces`
    })
  }
  return input
}

/** The event itself: an object, or a `WindowInputError`. */
export const eventOf = <A extends object>(input: A): A => {
  if (typeof input !== "object" || input === null) {
    throw new WindowInputError({ field: "event", problem: "must be an object" })
  }
  return input
}

/**
 * The event's time in milliseconds, clamped to `receivedAt`: a time in the future (a wrong
 * clock, a forged payload) cannot open a window beyond the moment the event arrived.
 */
export const eventTimeOf = (input: EventTime, receivedAt: number): number => {
  const millis = input instanceof Date ? input.getTime() : input
  if (typeof millis !== "number" || !Number.isFinite(millis)) {
    throw new WindowInputError({ field: "at", problem: "must be a valid Date or a finite number of milliseconds" })
  }
  return Math.min(Math.floor(millis), receivedAt)
}
