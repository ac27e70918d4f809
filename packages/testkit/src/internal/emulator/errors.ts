/**
 * A bound of the emulator was reached: the fault queues, the registered templates, the inbound
 * messages, the campaigns or the webhook deliveries are full. Nothing changed; `reset()` empties them. Over HTTP the control
 * answers 409 with `data: { limit, max }`, and `connectEmulator`'s methods throw this class too.
 */
export class EmulatorLimitError extends RangeError {
  /** The error's tag, as the SDK's tagged errors have. */
  readonly _tag = "EmulatorLimitError" as const
  /** Always `"EmulatorLimitError"`. */
  override readonly name = "EmulatorLimitError"
  /** Which bound (see {@link EmulatorLimit}). */
  readonly limit: EmulatorLimit
  /** Its size. */
  readonly max: number
  constructor(limit: EmulatorLimit, max: number, message: string) {
    super(message)
    this.limit = limit
    this.max = max
  }
}

/** The bounded collections of the emulator. */
export type EmulatorLimit =
  | "faults"
  | "templates"
  | "inbound"
  | "campaign-messages"
  | "campaign-bytes"
  | "webhook-faults"
  | "webhook-deliveries"

/** A value for an error message: strings cut to 60 characters, other values by type (never serialised whole). */
export const show = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined)
    return String(value)
  return Array.isArray(value) ? "an array" : `a ${typeof value}`
}
