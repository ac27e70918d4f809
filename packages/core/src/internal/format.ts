/** A duration as people read it: `"300 ms"`, `"7 s"`, `"1.5 s"`, `"2 min 5 s"`. */
export const formatMillis = (millis: number): string => {
  if (!Number.isFinite(millis)) return "forever"
  if (millis < 1000) return `${Math.round(millis)} ms`
  const seconds = millis / 1000
  if (seconds < 60) return `${Number(seconds.toFixed(1))} s`
  const minutes = Math.floor(seconds / 60)
  const rest = Math.round(seconds - minutes * 60)
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`
}
