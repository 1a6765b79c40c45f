// A run of a timed campaign releases the deliveries due at its start; when it ends with later zones still
// waiting, the campaign goes back to the schedule at the next release (the app's timer or `campaign
// run-due` starts the next run), so a 26-hour campaign is a chain of short runs over one journal.
import type { CampaignTotals } from '../../../shared/campaigns.ts';
import type { Db } from '../db/database.ts';
import type { ReleaseRules } from './frequency-cap.ts';
import { parseStoredTiming } from './plan.ts';

/** What a run starting at `at` releases and the cap it applies; undefined for a campaign without timing. */
export function releaseRules(timingText: string | null, at: number): ReleaseRules | undefined {
  const resolved = parseStoredTiming(timingText)?.resolved;
  if (!resolved) return undefined;
  return { until: at, cap: resolved.cap };
}

/**
 * The next release of a run that ended with nothing due left (none queued, retrying or in flight, every
 * pending delivery released later than `releasedUntil`); null otherwise.
 */
export function waitingRelease(
  db: Db,
  campaignId: number,
  totals: CampaignTotals,
  releasedUntil: number,
): number | null {
  if (totals.pending === 0 || totals.retrying + totals.inFlight > 0) return null;
  const row = db
    .prepare(
      `SELECT MIN(release_at) AS next,
         EXISTS (SELECT 1 FROM deliveries WHERE campaign_id = ? AND state = 'pending'
                 AND (release_at IS NULL OR release_at <= ?)) AS due
       FROM deliveries WHERE campaign_id = ? AND state = 'pending'`,
    )
    .get(campaignId, releasedUntil, campaignId) as { next: number | null; due: number };
  return row.due || row.next === null ? null : row.next;
}
