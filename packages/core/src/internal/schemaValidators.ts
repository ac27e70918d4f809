/**
 * The schemas' validators, loaded on first need: only input the plain validators refuse comes
 * here, for the schema's verdict and its messages. Importing `effect/Schema` (and the fast-check it
 * imports) costs about 190 ms, which a valid send never pays.
 */
import { SessionMessageRequest } from "../Schemas.js"
import { TemplateMessageRequest } from "../TemplateMessage.js"
import { validator } from "./validation.js"

export const sessionMessage = validator(SessionMessageRequest)
export const templateMessage = validator(TemplateMessageRequest)
