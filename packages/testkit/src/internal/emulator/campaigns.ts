/**
 * The campaigns the emulator accepted, and their later delivery: a campaign is due `delayMs` of
 * emulator time after its 201; due campaigns are delivered by a real timer, as soon as the clock
 * is moved past their time, or at once by `deliverAll()`.
 */
import type { Clock } from "./clock.js"
import { MAX_STORED_CAMPAIGN_CHARS, MAX_STORED_CAMPAIGN_MESSAGES } from "./constants.js"
import { EmulatorLimitError } from "./errors.js"
import { externalId } from "./ids.js"
import type { Campaign, CampaignMessage } from "./types.js"

/** A campaign message as the request gave it (before delivery). */
export type CampaignMessageInput = Omit<CampaignMessage, "status" | "id" | "sentAt" | "reason" | "failedAt">

export interface Campaigns {
  /** Record a campaign; throws `EmulatorLimitError` (nothing recorded) past the bounds. */
  accept(from: string, messages: ReadonlyArray<CampaignMessageInput>): Campaign
  list(): ReadonlyArray<Campaign>
  /** Deliver every pending campaign now, due or not; the campaigns delivered. */
  deliverAll(): ReadonlyArray<Campaign>
  /** The clock moved: deliver what is due by now, and wait for the next one. */
  clockChanged(): void
  reset(): void
  shutdown(): void
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The longest real wait a timer can take (a longer one fires at once). */
const MAX_TIMER_MS = 2_147_483_647

const copyMessage = (m: CampaignMessage): CampaignMessage =>
  Object.freeze({
    ...m,
    template: Object.freeze({
      name: m.template.name,
      parameters: Object.freeze([...m.template.parameters]),
      buttons: Object.freeze([...m.template.buttons])
    }),
    ...(m.metadata === undefined
      ? {}
      : { metadata: JSON.parse(JSON.stringify(m.metadata)) as Readonly<Record<string, unknown>> }),
    ...(m.sentAt === undefined ? {} : { sentAt: new Date(m.sentAt.getTime()) }),
    ...(m.failedAt === undefined ? {} : { failedAt: new Date(m.failedAt.getTime()) })
  })

const copyCampaign = (c: Campaign): Campaign =>
  Object.freeze({
    id: c.id,
    from: c.from,
    acceptedAt: new Date(c.acceptedAt.getTime()),
    dueAt: new Date(c.dueAt.getTime()),
    ...(c.deliveredAt === undefined ? {} : { deliveredAt: new Date(c.deliveredAt.getTime()) }),
    messages: Object.freeze(c.messages.map(copyMessage))
  })

export const createCampaigns = (options: {
  readonly clock: Clock
  readonly delayMs: number
  /** Why a message's template cannot be sent from `from` now, if it cannot. */
  readonly problem: (from: string, message: CampaignMessageInput) => string | undefined
}): Campaigns => {
  const { clock, delayMs, problem } = options
  const all: Array<Mutable<Campaign> & { readonly messages: Array<CampaignMessage>; readonly chars: number }> = []
  let pending: typeof all = []
  let storedMessages = 0
  let storedChars = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let closed = false

  const deliver = (campaign: (typeof all)[number]): void => {
    const at = clock.now()
    campaign.deliveredAt = at
    campaign.messages.forEach((message, index) => {
      const reason = problem(campaign.from, message)
      campaign.messages[index] =
        reason === undefined
          ? { ...message, status: "sent", id: externalId(), sentAt: at }
          : { ...message, status: "failed", reason, failedAt: at }
    })
  }

  const deliverWhere = (isDue: (campaign: (typeof all)[number]) => boolean): ReadonlyArray<Campaign> => {
    const due = pending.filter(isDue)
    pending = pending.filter((campaign) => !isDue(campaign))
    for (const campaign of due) deliver(campaign)
    return Object.freeze(due.map(copyCampaign))
  }

  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (closed || pending.length === 0) return
    const next = pending.reduce((soonest, campaign) => Math.min(soonest, campaign.dueAt.getTime()), Infinity)
    const wait = Math.min(Math.max(0, next - clock.now().getTime()), MAX_TIMER_MS)
    timer = setTimeout(() => {
      timer = undefined
      clockChanged()
    }, wait)
    // On Node, a pending campaign alone does not keep the process alive.
    ;(timer as { unref?: () => void }).unref?.()
  }

  const clockChanged = (): void => {
    const now = clock.now().getTime()
    deliverWhere((campaign) => campaign.dueAt.getTime() <= now)
    schedule()
  }

  return {
    accept: (from, inputs) => {
      const chars = JSON.stringify(inputs).length
      if (storedMessages + inputs.length > MAX_STORED_CAMPAIGN_MESSAGES) {
        throw new EmulatorLimitError(
          "campaign-messages",
          MAX_STORED_CAMPAIGN_MESSAGES,
          `at most ${MAX_STORED_CAMPAIGN_MESSAGES} campaign messages are remembered; reset() forgets them`
        )
      }
      if (storedChars + chars > MAX_STORED_CAMPAIGN_CHARS) {
        throw new EmulatorLimitError(
          "campaign-bytes",
          MAX_STORED_CAMPAIGN_CHARS,
          `at most ${MAX_STORED_CAMPAIGN_CHARS} characters of campaign messages are remembered; reset() forgets them`
        )
      }
      const acceptedAt = clock.now()
      const campaign = {
        id: crypto.randomUUID(),
        from,
        acceptedAt,
        dueAt: new Date(acceptedAt.getTime() + delayMs),
        messages: inputs.map((input): CampaignMessage => ({ ...input, status: "pending" })),
        chars
      }
      all.push(campaign)
      pending.push(campaign)
      storedMessages += inputs.length
      storedChars += chars
      schedule()
      return copyCampaign(campaign)
    },
    list: () => Object.freeze(all.map(copyCampaign)),
    deliverAll: () => {
      const delivered = deliverWhere(() => true)
      schedule()
      return delivered
    },
    clockChanged,
    reset: () => {
      all.length = 0
      pending = []
      storedMessages = 0
      storedChars = 0
      schedule()
    },
    shutdown: () => {
      closed = true
      schedule()
    }
  }
}
