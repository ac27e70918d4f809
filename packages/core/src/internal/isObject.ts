/** Whether `value` is a JSON object (not `null`, not an array): the one copy of this check. */
export const isObject = (value: unknown): value is { readonly [key: string]: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value)
