/**
 * `@oneroute/core/effect`: the Effect API. Everything in `@oneroute/core`, plus the `OneRoute`
 * service, the adapters' layer factory, the relay's `IdempotencyStore` service and the schemas.
 *
 * @since 0.3.0
 */

import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import type * as ConfigProvider from "effect/ConfigProvider"
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type { AdapterOptions } from "./Adapter.js"
import type { SessionOrTemplateRequest, SessionOrTemplateResult } from "./ConversationWindows.js"
import type { OneRouteError } from "./Errors.js"
import { config as oneRouteConfig } from "./internal/config.js"
import * as effectAdapter from "./internal/effectAdapter.js"
import type { OwnedTransport } from "./internal/engine/transport.js"
import * as layerClient from "./internal/layerClient.js"
import * as taggedError from "./internal/taggedError.js"
import { sendSessionOrTemplateEffect } from "./internal/windows/sessionOrTemplateEffect.js"
import type { OneRoute } from "./OneRoute.js"
import type { OneRouteClient, WindowsOption } from "./OneRouteClient.js"
import type { OneRouteOptions, RelayOptions } from "./Options.js"

export { CampaignMessage, CampaignRequest } from "./Campaign.js"
export * as IdempotencyStore from "./IdempotencyStore.js"
export * from "./index.js"
export * as Webhook from "./internal/webhook/effect.js"
export * from "./internal/windows/service.js"
export * from "./OneRoute.js"
// The schemas themselves, where the main entry has their types only.
export { SessionMessage, SessionMessageRequest, WhatsAppNumber } from "./Schemas.js"
export * from "./schema.js"
export { Template, TemplateMessageRequest, TemplateParameter, TemplateRecipient } from "./TemplateMessage.js"

/**
 * The base of the SDK's error classes, for packages built on it: an `Error` with `_tag` (what
 * `catchTag` reads), its fields as own properties, `name` = the tag and a plain `toJSON`. Lighter
 * than `Data.TaggedError` in a browser bundle, and its declarations type-check on effect 3.14.
 *
 * @since 0.3.0
 */
export const TaggedError: <Tag extends string>(
  tag: Tag
) => new <A extends Record<string, unknown>>(
  args: A
) => Error & {
  /** The class's name as a literal, for `Effect.catchTag`, `isOneRouteError` and `switch`. */
  readonly _tag: Tag
  /** The error's fields as plain JSON (with `_tag`), never a secret. */
  toJSON(): unknown
} & Readonly<A> = taggedError.TaggedError

/**
 * What a runtime's Effect API needs beyond its transport.
 *
 * @since 0.3.0
 */
export interface EffectAdapterOptions {
  /** Where `layerConfig` reads from; default: Effect's current `ConfigProvider` (the environment). */
  readonly configProvider?: Effect.Effect<ConfigProvider.ConfigProvider, ConfigError.ConfigError>
}

/**
 * A runtime adapter's Effect API (its `/effect` entry).
 *
 * @since 0.3.0
 */
export interface EffectAdapter<TransportOptions extends object = object> {
  /** The `OneRoute` service over the runtime's transport; unusable options are an `InvalidOptionsError` defect. */
  readonly layer: (options: (OneRouteOptions | RelayOptions) & TransportOptions) => Layer.Layer<OneRoute>
  /** The service with options from `Config` (`ONEROUTE_API_KEY`, `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT`). */
  readonly layerConfig: Layer.Layer<OneRoute, ConfigError.ConfigError>
}

/**
 * Makes a runtime adapter's Effect API from its transport.
 *
 * @since 0.3.0
 */
export const makeEffectAdapter: <TransportOptions extends object = object>(
  options: Omit<AdapterOptions<TransportOptions>, "getEnv"> & EffectAdapterOptions
) => EffectAdapter<TransportOptions> = effectAdapter.makeEffectAdapter

/**
 * The `OneRoute` service on a transport made when the layer is built and closed when its scope
 * ends. Unusable options fail the layer with an `InvalidOptionsError` defect.
 *
 * @since 0.2.0
 */
export const layerWithTransport = (
  input: OneRouteOptions | RelayOptions,
  transport: () => OwnedTransport
): Layer.Layer<OneRoute> => effectAdapter.makeEffectAdapter({ transport, userAgent: undefined }).layer(input)

/**
 * `OneRouteOptions` from the current `ConfigProvider` (the environment by default):
 * `ONEROUTE_API_KEY` (required), `ONEROUTE_BASE_URL`, `ONEROUTE_TIMEOUT`, checked as
 * `createClient` checks them (a `ConfigError` naming the variable otherwise).
 *
 * @since 0.1.0
 */
export const OneRouteConfig: Config.Config<OneRouteOptions> = oneRouteConfig

/**
 * Makes a Promise client from a layer that provides `OneRoute` (your own, over your
 * `HttpClient`). The layer is built on the first send and torn down by `close()`. `windows` is
 * the window tracker it asks and feeds, as `createClient`'s option of that name.
 *
 * @since 0.1.0
 */
export const makeClient: <E>(layer: Layer.Layer<OneRoute, E>, options?: WindowsOption) => OneRouteClient =
  layerClient.makeClient

/**
 * Sends a session message, or the template when the customer's window is closed, through the
 * `OneRoute` service in context: the template when the `ConversationWindows` service (if one is
 * provided) knows the window is closed, otherwise the session message, and the template only when
 * OneRoute refused that message as `window-closed` with proof that it was not sent. Never both,
 * never either twice. It feeds `ConversationWindows` with what it learns.
 *
 * @since 0.4.0
 */
export const sendSessionOrTemplate: (
  input: SessionOrTemplateRequest
) => Effect.Effect<SessionOrTemplateResult, OneRouteError, OneRoute> = sendSessionOrTemplateEffect
