// A subscription's time zone: set or cleared one by one (the detail drawer, `subs update --timezone`), and
// the zones of an app's list with their counts (the table's and the audience's filter).
import type { SubscriptionDetail } from '../../../shared/subscriptions.ts';
import { canonicalTimeZone } from '../../../shared/delivery-time.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import type { CoreContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { subscriptionDetail } from './list-query.ts';

export function setSubscriptionTimeZone(
  ctx: CoreContext,
  appId: number,
  id: number,
  timeZone: string | null,
): SubscriptionDetail {
  const zone = timeZone === null ? null : canonicalTimeZone(timeZone);
  if (timeZone !== null && zone === null) {
    throw new PushdeckError(
      'TIMEZONE_INVALID',
      `"${timeZone.slice(0, 64)}" is not an IANA time zone: use a name such as Europe/Berlin, or none to use the app's default.`,
    );
  }
  const changed = ctx.db
    .prepare(
      'UPDATE subscriptions SET timezone = ?, updated_at = ? WHERE app_id = ? AND id = ? AND deleted_at IS NULL',
    )
    .run(zone, ctx.now(), appId, id).changes;
  if (changed === 0)
    throw new PushdeckError(
      'SUBSCRIPTION_NOT_FOUND',
      `No subscription ${id} in this app (or it is in the trash).`,
    );
  return subscriptionDetail(ctx.db, appId, id);
}

export function timeZoneFacets(db: Db, appId: number): { timeZone: string | null; count: number }[] {
  return db
    .prepare(
      `SELECT s.timezone AS timeZone, COUNT(*) AS count FROM subscriptions s
       WHERE s.app_id = ? AND s.deleted_at IS NULL GROUP BY s.timezone ORDER BY count DESC, s.timezone`,
    )
    .all(appId) as { timeZone: string | null; count: number }[];
}
