// An app's delivery rules (issue 17): the default time zone of subscriptions without one, quiet hours in
// each subscriber's local time, and the frequency cap; read by the planner and the sender.
import type { AppSummary } from '../../../shared/apps.ts';
import type { ChannelRequest } from '../../../shared/contract.ts';
import type { AppDeliverySettings, QuietHours } from '../../../shared/delivery-time.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { AuditEntry } from '../audit-log/append.ts';
import type { CoreContext } from '../context.ts';
import type { Db } from '../db/database.ts';

type DeliveryRequest = ChannelRequest<'apps.setDelivery'>;

interface DeliveryRow {
  default_timezone: string | null;
  quiet_hours: string | null;
  cap_24h: number | null;
  cap_7d: number | null;
  alerts_ignore_quiet_hours: number;
}

function parseQuiet(text: string | null): QuietHours | null {
  if (!text) return null;
  const [start, end] = text.split('-') as [string, string];
  return { start, end };
}

export function deliverySettingsOf(row: DeliveryRow): AppDeliverySettings {
  return {
    defaultTimeZone: row.default_timezone,
    quietHours: parseQuiet(row.quiet_hours),
    frequencyCap: { per24h: row.cap_24h, per7d: row.cap_7d },
    alertsIgnoreQuietHours: row.alerts_ignore_quiet_hours === 1,
  };
}

export function readDeliverySettings(db: Db, appId: number): AppDeliverySettings {
  const row = db
    .prepare(
      'SELECT default_timezone, quiet_hours, cap_24h, cap_7d, alerts_ignore_quiet_hours FROM apps WHERE id = ?',
    )
    .get(appId) as DeliveryRow | undefined;
  if (!row) throw new PushdeckError('APP_NOT_FOUND', `No app with id ${appId}.`);
  return deliverySettingsOf(row);
}

/** The audit entry of an update (as the door read apps.setDelivery); none when it changes nothing. */
export function deliveryEntry(update: DeliveryRequest, app: AppSummary): AuditEntry | null {
  const { appId, frequencyCap, ...rest } = update;
  const changed = [...Object.values(rest), frequencyCap?.per24h, frequencyCap?.per7d].some(
    (v) => v !== undefined,
  );
  return changed
    ? { action: 'app.delivery', appId, subject: app.name, details: { ...update, appId: undefined } }
    : null;
}

/** Changes the fields given (null turns one off) and returns the app. */
export function setDeliverySettings(
  ctx: CoreContext,
  update: DeliveryRequest,
  getApp: (ctx: CoreContext, id: number) => AppSummary,
): AppSummary {
  const app = getApp(ctx, update.appId);
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    params.push(value);
  };
  if (update.defaultTimeZone !== undefined) set('default_timezone', update.defaultTimeZone);
  if (update.quietHours !== undefined)
    set('quiet_hours', update.quietHours ? `${update.quietHours.start}-${update.quietHours.end}` : null);
  if (update.frequencyCap?.per24h !== undefined) set('cap_24h', update.frequencyCap.per24h);
  if (update.frequencyCap?.per7d !== undefined) set('cap_7d', update.frequencyCap.per7d);
  if (update.alertsIgnoreQuietHours !== undefined)
    set('alerts_ignore_quiet_hours', update.alertsIgnoreQuietHours ? 1 : 0);
  if (sets.length === 0) return app;
  ctx.db
    .prepare(`UPDATE apps SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`)
    .run(...params, ctx.now(), app.id);
  return getApp(ctx, app.id);
}
