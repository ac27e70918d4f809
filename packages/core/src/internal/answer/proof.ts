/**
 * Which answers prove that OneRoute did not act on the POST (`sendOutcome: "not-sent"`).
 *
 * A refusal proves it only when the status means "this request was not processed" and the body
 * does not say otherwise. Kept `unknown`:
 * - every 1xx, 2xx and 3xx that is not the endpoint's success (303 See Other is the standard
 *   answer *after* a processed POST; a redirect is never followed for a POST);
 * - 408 (a gateway's timeout while the upstream may have acted), 409 (a conflict with a send that
 *   happened), 423, 424, 425, 444 and 499 (nginx: the client went away, the upstream carried on), and
 *   every 4xx status HTTP does not define as a refusal of the request itself;
 * - a refusal whose `data` holds anything (a recipient it reports sent, a partial result);
 * - every 5xx.
 */

/** 4xx statuses that mean the request itself was refused before being carried out. */
const REFUSED_STATUSES: ReadonlySet<number> = new Set([
  400, 401, 402, 403, 404, 405, 406, 407, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 426, 428, 429, 431, 451
])

/** Whether a status, on its own, says the request was refused unprocessed. */
export const isRefusalStatus = (status: number): boolean => REFUSED_STATUSES.has(status)

/**
 * Whether a refusal's body leaves the proof intact: not JSON, or JSON whose `data` is absent,
 * `null`, an empty array or an empty object (the documented refusals carry `data: null`).
 */
export const bodyClaimsNothingDone = (json: unknown): boolean => {
  if (typeof json !== "object" || json === null || !("data" in json)) return true
  const data: unknown = json.data
  if (data === null || data === undefined) return true
  if (Array.isArray(data)) return data.length === 0
  return typeof data === "object" && Object.keys(data).length === 0
}
