/**
 * The Effect API of OneRoute's webhooks, `Webhook` in `@oneroute/core/effect`.
 *
 * @since 0.4.0
 * @module
 */
import * as Effect from "effect/Effect"
import {
  type VerifyWebhookInput,
  type WebhookEvent,
  WebhookPayloadError,
  WebhookSignatureError
} from "../../Webhook.js"
import * as verify from "./verify.js"

/**
 * Checks a delivery's signature (the raw bytes, then `JSON.stringify` of the parsed body, under
 * each secret) and decodes its event. Fails with `WebhookSignatureError` or `WebhookPayloadError`;
 * an empty secret is an `InvalidOptionsError` defect.
 *
 * @example
 * ```ts
 * import { Webhook } from "@oneroute/core/effect"
 * import * as Effect from "effect/Effect"
 *
 * const receive = (body: string, signature: string | null) =>
 *   Webhook.verifyWebhook({ body, signature, secret: "the OneRoute Secret Key" }).pipe(
 *     Effect.catchTag("WebhookSignatureError", (error) => Effect.logWarning(error.reason))
 *   )
 * ```
 *
 * @since 0.4.0
 */
export const verifyWebhook = (
  input: VerifyWebhookInput
): Effect.Effect<WebhookEvent, WebhookSignatureError | WebhookPayloadError> =>
  Effect.tryPromise({ try: () => verify.verifyWebhook(input), catch: (error) => error }).pipe(
    Effect.catchAll((error) =>
      error instanceof WebhookSignatureError || error instanceof WebhookPayloadError
        ? Effect.fail(error)
        : Effect.die(error)
    )
  )
