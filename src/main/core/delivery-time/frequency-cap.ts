// The frequency cap, counted from the journal: how many other campaigns a subscriber was released in the
// last 24 hours and 7 days (sent, in flight or uncertain: those that may have reached them).
import { DAY_MS } from '../../../shared/delivery-time-rules.ts';
import type { Db } from '../db/database.ts';

export interface FrequencyCapLimits {
  per24h: number | null;
  per7d: number | null;
}

/** What one run of a timed campaign releases, and the cap it applies at release. */
export interface ReleaseRules {
  /** Deliveries whose release_at is at or before this go out in this run (the run's start). */
  until: number;
  /** Null: the campaign ignores the cap, or the app has none. */
  cap: FrequencyCapLimits | null;
}

/**
 * Counts, per subscription, the other campaigns released to it since `since` (each delivery's own release,
 * or its campaign's start for a campaign sent at one instant). Prepared once per run.
 */
export function recentCampaignsQuery(db: Db) {
  return db
    .prepare(
      `SELECT COUNT(*) FROM deliveries d JOIN campaigns c ON c.id = d.campaign_id
       WHERE d.subscription_id = ? AND d.campaign_id != ? AND d.state IN ('sent', 'in_flight', 'uncertain')
         AND COALESCE(d.release_at, c.started_at) > ? AND COALESCE(d.release_at, c.started_at) <= ?`,
    )
    .pluck();
}

/**
 * A test of whether a subscription has reached the cap at the run's release time: a rolling window
 * (now - 24 h, now], so a campaign released exactly 24 h earlier no longer counts. Null without a cap.
 */
export function frequencyCapCheck(
  db: Db,
  campaignId: number,
  rules: ReleaseRules | undefined,
): ((subscriptionId: number) => boolean) | null {
  const cap = rules?.cap;
  if (!rules || !cap || (cap.per24h === null && cap.per7d === null)) return null;
  const count = recentCampaignsQuery(db);
  const now = rules.until;
  return (subscriptionId) => {
    if (
      cap.per7d !== null &&
      (count.get(subscriptionId, campaignId, now - 7 * DAY_MS, now) as number) >= cap.per7d
    )
      return true;
    return (
      cap.per24h !== null &&
      (count.get(subscriptionId, campaignId, now - DAY_MS, now) as number) >= cap.per24h
    );
  };
}
