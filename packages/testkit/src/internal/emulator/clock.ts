import { EARLIEST_TIME_MS, LATEST_TIME_MS } from "./constants.js"

/** The emulator clock: real time plus an adjustable offset (it keeps ticking). */
export interface Clock {
  now(): Date
  advance(ms: number): void
  set(date: Date): void
  /** Back to real time (offset 0). */
  reset(): void
}

const checkDate = (date: unknown, what: string): Date => {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new TypeError(`${what} must be a valid Date`)
  return date
}

/** A clock time must stay in years 0000–9999; checked before the offset changes, so a refused time changes nothing. */
const checkRange = (time: number, what: string): number => {
  if (!(time >= EARLIEST_TIME_MS && time <= LATEST_TIME_MS)) {
    throw new TypeError(`${what} must keep the emulator clock between 0000-01-01 and 9999-12-31 (UTC)`)
  }
  return time
}

/** `onChange` runs after every `advance` and `set` (the campaigns due by then are delivered). */
export const createClock = (initial?: Date, onChange: () => void = () => undefined): Clock => {
  let offset = initial === undefined ? 0 : checkRange(checkDate(initial, "now").getTime(), "now") - Date.now()
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      if (typeof ms !== "number" || !Number.isFinite(ms)) throw new TypeError("advance(ms): ms must be a finite number")
      const now = Date.now()
      offset = checkRange(now + offset + ms, "advance(ms): ms") - now
      onChange()
    },
    set: (date) => {
      offset = checkRange(checkDate(date, "set(date): date").getTime(), "set(date): date") - Date.now()
      onChange()
    },
    reset: () => {
      offset = 0
    }
  }
}

export { checkDate }
