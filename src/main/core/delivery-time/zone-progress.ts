// A timed campaign's progress per zone (waiting, sending, done, with its counts) and the ETA of its last
// zone, for `campaign show`, campaigns.get and the campaign's page.
import type { DeliveryState } from '../../../shared/campaigns.ts';
import type { ResolvedTiming, TimingSummary, ZoneProgress } from '../../../shared/delivery-time.ts';
import type { Db } from '../db/database.ts';
import { parseStoredTiming, type StoredTiming } from './plan.ts';

interface ZoneCountRow {
  zone_id: number;
  time_zone: string;
  release_at: number;
  local_release: string;
  quiet: 'held' | 'skipped' | null;
  state: DeliveryState | null;
  n: number;
}

function shownTiming(stored: StoredTiming): ResolvedTiming {
  const { resolved, requested } = stored;
  if (resolved) {
    return {
      localTime: resolved.localTime,
      quietHours: resolved.quietHours,
      frequencyCap: resolved.frequencyCap,
    };
  }
  return {
    localTime: requested.localTime ? { pastZones: 'next-day', ...requested.localTime } : null,
    quietHours: requested.quietHours ?? 'hold',
    frequencyCap: requested.frequencyCap ?? 'apply',
  };
}

/** Null for a campaign without timing: sent at one instant, no quiet hours, no cap. */
export function timingSummary(
  db: Db,
  campaignId: number,
  timingText: string | null,
  now: number,
): TimingSummary | null {
  const stored = parseStoredTiming(timingText);
  if (!stored) return null;
  const rows = db
    .prepare(
      `SELECT z.zone_id, z.time_zone, z.release_at, z.local_release, z.quiet, d.state, COUNT(d.state) AS n
       FROM campaign_zones z LEFT JOIN deliveries d ON d.campaign_id = z.campaign_id AND d.zone_id = z.zone_id
       WHERE z.campaign_id = ? GROUP BY z.zone_id, d.state ORDER BY z.release_at, z.time_zone`,
    )
    .all(campaignId) as ZoneCountRow[];
  const zones = new Map<number, ZoneProgress>();
  for (const row of rows) {
    let zone = zones.get(row.zone_id);
    if (!zone) {
      zone = {
        timeZone: row.time_zone,
        releaseAt: row.release_at,
        localRelease: row.local_release,
        quietHours: row.quiet,
        recipients: 0,
        status: 'waiting',
        delivered: 0,
        failed: 0,
        expired: 0,
        skipped: 0,
        pending: 0,
      };
      zones.set(row.zone_id, zone);
    }
    if (row.state === null) continue;
    zone.recipients += row.n;
    if (row.state === 'sent') zone.delivered += row.n;
    else if (row.state === 'failed' || row.state === 'uncertain') zone.failed += row.n;
    else if (row.state === 'expired') zone.expired += row.n;
    else if (row.state === 'skipped') zone.skipped += row.n;
    else zone.pending += row.n;
  }
  const list = [...zones.values()];
  for (const zone of list) {
    const untouched = zone.pending === zone.recipients - zone.skipped;
    zone.status = zone.pending === 0 ? 'done' : zone.releaseAt > now && untouched ? 'waiting' : 'sending';
  }
  const waiting = list.filter((z) => z.status === 'waiting');
  const open = list.filter((z) => z.status !== 'done');
  return {
    timing: shownTiming(stored),
    zones: list,
    nextReleaseAt: waiting.length ? Math.min(...waiting.map((z) => z.releaseAt)) : null,
    lastZoneEta: open.length ? Math.max(...open.map((z) => z.releaseAt)) : null,
  };
}
