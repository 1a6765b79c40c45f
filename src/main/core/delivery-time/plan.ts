// The plan of a timed campaign: the zones of its audience, when each is released (its local HH:MM, the
// zones already past sent now or the next day, quiet hours held to their end or skipped), and the journal
// made from it in one statement inside SQLite (streamed, never loaded into memory).
import type { AudienceFilter } from '../../../shared/compose.ts';
import type {
  AppDeliverySettings,
  DeliveryTiming,
  ResolvedTiming,
  ZonePlanEntry,
} from '../../../shared/delivery-time.ts';
import { SKIP_QUIET_HOURS } from '../../../shared/delivery-time-rules.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { audienceSql } from '../compose/audience.ts';
import type { Db } from '../db/database.ts';
import type { FrequencyCapLimits } from './frequency-cap.ts';
import { inQuietHours, instantOf, localStamp, nextDate, quietHoursEnd } from './zone-clock.ts';

/** The zone of subscriptions without one when the app names none. */
export const FALLBACK_ZONE = 'UTC';

/** What a campaign stores in campaigns.timing: the user's choices, and at its start what they resolved to. */
export interface StoredTiming {
  requested: DeliveryTiming;
  resolved: (ResolvedTiming & { cap: FrequencyCapLimits | null; planned: boolean }) | null;
}

export function parseStoredTiming(text: string | null): StoredTiming | null {
  return text ? (JSON.parse(text) as StoredTiming) : null;
}

/** A one-off alert (chosen endpoints or subscriptions) or a test send: exempt when the app says so. */
export function isAlertAudience(audience: AudienceFilter): boolean {
  return Boolean(audience.endpoints?.length || audience.subscriptionIds?.length || audience.testDevices);
}

export function resolveTiming(
  requested: DeliveryTiming | undefined,
  audience: AudienceFilter,
  settings: AppDeliverySettings,
): StoredTiming['resolved'] {
  const exempt = isAlertAudience(audience) && settings.alertsIgnoreQuietHours;
  const quietHours = requested?.quietHours ?? (exempt ? 'ignore' : 'hold');
  const frequencyCap = requested?.frequencyCap ?? (exempt ? 'ignore' : 'apply');
  const localTime = requested?.localTime ? { pastZones: 'next-day' as const, ...requested.localTime } : null;
  const capSet = settings.frequencyCap.per24h !== null || settings.frequencyCap.per7d !== null;
  const cap = frequencyCap === 'apply' && capSet ? settings.frequencyCap : null;
  const planned = localTime !== null || (quietHours !== 'ignore' && settings.quietHours !== null);
  if (!planned && !cap) return null;
  return { localTime, quietHours, frequencyCap, cap, planned };
}

/** Each zone of the audience with its count (the app's default zone, or UTC, for those without one). */
export function audienceZones(
  db: Db,
  appId: number,
  audience: AudienceFilter,
  defaultZone: string,
): Array<{ timeZone: string; recipients: number }> {
  const { where, params } = audienceSql(appId, audience);
  return db
    .prepare(
      `SELECT COALESCE(s.timezone, ?) AS timeZone, COUNT(*) AS recipients FROM subscriptions s WHERE ${where}
       GROUP BY 1 ORDER BY 1`,
    )
    .all(defaultZone, ...params) as Array<{ timeZone: string; recipients: number }>;
}

/** When each zone is released, starting at `now`. */
export function planZones(
  zones: Array<{ timeZone: string; recipients: number }>,
  resolved: NonNullable<StoredTiming['resolved']>,
  settings: AppDeliverySettings,
  now: number,
): ZonePlanEntry[] {
  const local = resolved.localTime;
  if (local && zones.length) {
    // In the zone where the day ends last, past means past for everyone: nothing to schedule.
    const latest = Math.max(...zones.map((z) => instantOf(z.timeZone, local.date, local.time)));
    if (latest < now - 60_000) {
      throw new PushdeckError(
        'LOCAL_DATE_PAST',
        `${local.time} on ${local.date} has passed in every subscriber's time zone: pick a later date.`,
      );
    }
  }
  const quiet = resolved.quietHours === 'ignore' ? null : settings.quietHours;
  return zones
    .map(({ timeZone, recipients }): ZonePlanEntry => {
      let releaseAt = now;
      if (local) {
        releaseAt = instantOf(timeZone, local.date, local.time);
        if (releaseAt < now && local.pastZones === 'next-day')
          releaseAt = instantOf(timeZone, nextDate(local.date), local.time);
        // Past even the next day (a date long gone in this zone): at once.
        if (releaseAt < now) releaseAt = now;
      }
      let quietHours: ZonePlanEntry['quietHours'] = null;
      if (quiet && inQuietHours(timeZone, releaseAt, quiet)) {
        if (resolved.quietHours === 'skip') quietHours = 'skipped';
        else {
          quietHours = 'held';
          releaseAt = quietHoursEnd(timeZone, releaseAt, quiet);
        }
      }
      return { timeZone, releaseAt, localRelease: localStamp(timeZone, releaseAt), quietHours, recipients };
    })
    .sort((a, b) => a.releaseAt - b.releaseAt || a.timeZone.localeCompare(b.timeZone));
}

/**
 * Stores the plan and one delivery per recipient with its zone and release; those the plan skips for quiet
 * hours are journalled as skipped at once. Inside the caller's transaction. Returns the recipients.
 */
export function createTimedJournal(
  db: Db,
  campaignId: number,
  appId: number,
  audience: AudienceFilter,
  zones: ZonePlanEntry[],
  defaultZone: string,
  at: number,
): number {
  const insertZone = db.prepare(
    `INSERT INTO campaign_zones (campaign_id, zone_id, time_zone, release_at, local_release, quiet)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  zones.forEach((z, i) =>
    insertZone.run(campaignId, i + 1, z.timeZone, z.releaseAt, z.localRelease, z.quietHours),
  );
  const { where, params } = audienceSql(appId, audience);
  return db
    .prepare(
      `INSERT INTO deliveries (campaign_id, subscription_id, state, push_service, updated_at, zone_id, release_at,
         outcome, reason)
       SELECT ?, s.id, CASE WHEN z.quiet = 'skipped' THEN 'skipped' ELSE 'pending' END, s.push_service, ?,
         z.zone_id, z.release_at,
         CASE WHEN z.quiet = 'skipped' THEN 'not-sent' END, CASE WHEN z.quiet = 'skipped' THEN ? END
       FROM subscriptions s
       JOIN campaign_zones z ON z.campaign_id = ? AND z.time_zone = COALESCE(s.timezone, ?)
       WHERE ${where} ORDER BY s.id`,
    )
    .run(campaignId, at, SKIP_QUIET_HOURS, campaignId, defaultZone, ...params).changes;
}

export function defaultZoneOf(settings: AppDeliverySettings): string {
  return settings.defaultTimeZone ?? FALLBACK_ZONE;
}
