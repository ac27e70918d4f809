/**
 * `@oneroute/core/schema`: the `effect/Schema` schemas of every request and answer, and their
 * Effect validators. The SDK itself loads them only for invalid input (for the error messages);
 * import them to validate or decode in your own code.
 *
 * @since 0.3.0
 */

export * from "./Campaign.js"
export * from "./Schemas.js"
export * from "./TemplateMessage.js"
