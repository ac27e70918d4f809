/**
 * Request paths in normal form. `new URL` resolves `text/../template` and `%2e%2e` to
 * `template`, while a proxy's allow-list in front may read the raw path: the relay refuses every
 * path the two could read differently instead of choosing one reading.
 */

/** An encoded `.`, `/` or `\`, a backslash, an empty, `.` or `..` segment. */
const NOT_NORMAL = /%2e|%2f|%5c|\\|\/\/|\/\.\.?(?:\/|$)/i

/**
 * Whether a request target's path (`/a/b`, or a whole URL whose path is checked) is in normal
 * form; the query is not part of it.
 */
export const isNormalPath = (target: string): boolean => {
  const afterOrigin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target)
  const path = (afterOrigin === null ? target : target.slice(afterOrigin[0].length)).split(/[?#]/, 1)[0] ?? ""
  return (path === "" || path.startsWith("/")) && !NOT_NORMAL.test(path)
}
