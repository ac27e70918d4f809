/**
 * The example bodies of the OneRoute documentation, verbatim, for tests and benchmarks that need
 * "exactly what the docs show".
 *
 * @since 0.1.0
 */

/**
 * The documented 200 answer of `POST /api/public/conversation/text`.
 *
 * @since 0.1.0
 */
export const documentedSuccessBody = {
  data: {
    id: "c5cb6663-19fb-4551-abee-ddab2d7355d8",
    content: "Hello :)",
    contentType: "TEXT",
    sender: { name: "covid2020", authUser: true, lastActivity: "2021-06-03T14:37:24.684Z" },
    externalId: "gBGHI0kFNWAgTwIJQFXbLV4JUIzD",
    conversation_id: "65763b7f-b9a1-4370-b2ca-9cacfb0d65c2",
    updatedAt: "2021-06-03T14:37:25.664Z",
    createdAt: "2021-06-03T14:37:25.664Z",
    subject: null,
    imageUrl: null,
    videoUrl: null,
    documentUrl: null,
    audioUrl: null,
    quoted_message_id: null
  },
  message: "Message sent to customer",
  success: true
} as const

/**
 * The documented 401 answer.
 *
 * @since 0.1.0
 */
export const documentedInvalidApiKeyBody = { data: null, message: "Invalid API Key", success: false } as const

/**
 * The documented example body of `POST /api/public/conversation/template` (the template name is
 * spelled as in the docs; the `XXXXXXXX` numbers are replaced by real-looking ones).
 *
 * @since 0.2.0
 */
export const documentedTemplateRequestBody = {
  messages: [
    {
      template: { name: "first_welcome_messsage", parameters: [{ type: "text", text: "Michael" }] },
      to: "2348012345678",
      save: true
    }
  ],
  from: "2348000000001"
} as const

/**
 * The documented 200 answer of `POST /api/public/conversation/template`: one entry per message.
 *
 * @since 0.2.0
 */
export const documentedTemplateSuccessBody = {
  data: [{ status: "success", response: "gBGHI0kFNWAgTwIJk-_rr1Kse2yO" }],
  message: "Message sent to customer",
  success: true
} as const

/**
 * The documented 400 answer of `POST /api/public/conversation/template` (a message without
 * `template`), with its key order.
 *
 * @since 0.2.0
 */
export const documentedTemplateRequiredBody = { data: null, success: false, message: '"template" is required' } as const
