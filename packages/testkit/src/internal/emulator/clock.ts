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

export const createClock = (initial?: Date): Clock => {
  let offset = initial === undefined ? 0 : checkDate(initial, "now").getTime() - Date.now()
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      if (typeof ms !== "number" || !Number.isFinite(ms)) throw new TypeError("advance(ms): ms must be a finite number")
      offset += ms
    },
    set: (date) => {
      offset = checkDate(date, "set(date): date").getTime() - Date.now()
    },
    reset: () => {
      offset = 0
    }
  }
}

export { checkDate }
