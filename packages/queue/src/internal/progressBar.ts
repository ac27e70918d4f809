import type { CampaignProgress } from "../Campaigns.js"

/** One line: a bar of the settled share, then the counts; fits `columns`. */
export const progressLine = (progress: CampaignProgress, columns: number): string => {
  const settled = progress.total - progress.pending
  const share = progress.total === 0 ? 0 : settled / progress.total
  const counts = ` ${(share * 100).toFixed(1)}% sent ${progress.sent} not-sent ${progress.notSent} unknown ${progress.unknown} pending ${progress.pending} of ${progress.total}`
  const width = Math.max(10, Math.min(40, columns - counts.length - 3))
  const filled = Math.round(share * width)
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]${counts}`.slice(0, Math.max(columns - 1, 20))
}
