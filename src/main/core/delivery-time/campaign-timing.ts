// A campaign's timing at its start (the plan decided with the app's rules of that moment), its copy for a
// duplicate, the composer's schedule preview, and what the cap and quiet hours would hold back.
import type { AudienceFilter } from '../../../shared/compose.ts';
import type {
  DeliveryTiming,
  HeldBack,
  ZonePlanEntry,
  ZonePlanPreview,
} from '../../../shared/delivery-time.ts';
import { readDeliverySettings } from '../apps/delivery-settings.ts';
import type { CoreContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { cappedCount } from './capped-count.ts';
import {
  audienceZones,
  defaultZoneOf,
  parseStoredTiming,
  planZones,
  resolveTiming,
  type StoredTiming,
} from './plan.ts';

/**
 * Resolves the campaign's timing against the app's rules now and stores it (in the caller's transaction).
 * `zones` is the plan to journal, or null when the campaign goes to everyone at once.
 */
export function startTiming(
  db: Db,
  row: { id: number; app_id: number; timing: string | null },
  audience: AudienceFilter,
  at: number,
): { zones: ZonePlanEntry[] | null; defaultZone: string } {
  const settings = readDeliverySettings(db, row.app_id);
  const defaultZone = defaultZoneOf(settings);
  const requested = parseStoredTiming(row.timing)?.requested ?? {};
  const resolved = resolveTiming(requested, audience, settings);
  db.prepare('UPDATE campaigns SET timing = ? WHERE id = ?').run(
    resolved || row.timing ? JSON.stringify({ requested, resolved } satisfies StoredTiming) : null,
    row.id,
  );
  if (!resolved?.planned) return { zones: null, defaultZone };
  const zones = planZones(audienceZones(db, row.app_id, audience, defaultZone), resolved, settings, at);
  return { zones, defaultZone };
}

/** A duplicate is planned again when it is sent: only the user's choices are copied. */
export function copyTiming(text: string | null): string | null {
  const stored = parseStoredTiming(text);
  return stored
    ? JSON.stringify({ requested: stored.requested, resolved: null } satisfies StoredTiming)
    : null;
}

/** The plan the campaign would get if it started now, and who the cap and quiet hours would hold back. */
export function zonePlanPreview(
  ctx: CoreContext,
  appId: number,
  audience: AudienceFilter,
  timing: DeliveryTiming | undefined,
): ZonePlanPreview {
  const settings = readDeliverySettings(ctx.db, appId);
  const resolved = resolveTiming(timing, audience, settings);
  if (!resolved) return { zones: [], firstAt: null, lastAt: null, heldBack: null };
  const now = ctx.now();
  const zones = resolved.planned
    ? planZones(audienceZones(ctx.db, appId, audience, defaultZoneOf(settings)), resolved, settings, now)
    : [];
  const heldBack: HeldBack = {
    frequencyCap: resolved.cap ? cappedCount(ctx, appId, audience, resolved.cap, now) : 0,
    quietHours: zones.filter((z) => z.quietHours).reduce((sum, z) => sum + z.recipients, 0),
    quietHoursPolicy: resolved.quietHours,
  };
  return {
    zones,
    firstAt: zones.length ? zones[0]!.releaseAt : null,
    lastAt: zones.length ? zones[zones.length - 1]!.releaseAt : null,
    heldBack,
  };
}
