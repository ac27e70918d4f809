/**
 * A bound of the emulator was reached: the fault queue, the registered templates or the
 * inbound messages are full. Nothing changed; `reset()` empties them. Over HTTP the control
 * answers 409 with `data: { limit, max }`, and `connectEmulator`'s methods throw this class too.
 */
export class EmulatorLimitError extends RangeError {
  readonly _tag = "EmulatorLimitError" as const
  override readonly name = "EmulatorLimitError"
  /** Which bound: `"faults"`, `"templates"` or `"inbound"`. */
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
export type EmulatorLimit = "faults" | "templates" | "inbound"

/** A value for an error message: strings cut to 60 characters, other values by type (never serialised whole). */
export const show = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined)
    return String(value)
  return Array.isArray(value) ? "an array" : `a ${typeof value}`
}
