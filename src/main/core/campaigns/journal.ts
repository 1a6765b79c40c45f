// The delivery journal of a campaign: created from the audience inside SQLite (streamed, never loaded into
// memory) and recovered after a crash (the sender writes it through journal-writer.ts, journal-summary.ts
// counts it).
import type { AudienceFilter } from '../../../shared/compose.ts';
import { audienceSql } from '../compose/audience.ts';
import type { Db } from '../db/database.ts';

/** One pending delivery per subscription of the audience; returns how many. */
export function createJournal(
  db: Db,
  campaignId: number,
  appId: number,
  audience: AudienceFilter,
  at: number,
): number {
  const { where, params } = audienceSql(appId, audience);
  return db
    .prepare(
      `INSERT INTO deliveries (campaign_id, subscription_id, state, push_service, updated_at)
       SELECT ?, s.id, 'pending', s.push_service, ? FROM subscriptions s WHERE ${where} ORDER BY s.id`,
    )
    .run(campaignId, at, ...params).changes;
}

/**
 * Before a run: deliveries that were in flight when the last sender died become `uncertain` (they may
 * have arrived; they are not sent again: at most once), and those waiting for a retry become pending.
 */
export function recoverJournal(
  db: Db,
  campaignId: number,
  at: number,
  resendUncertain = false,
): { uncertain: number } {
  return db.transaction(() => {
    const uncertain = db
      .prepare(
        `UPDATE deliveries SET state = 'uncertain', outcome = NULL,
           reason = 'in flight when the sender stopped: it may or may not have arrived', updated_at = ?
         WHERE campaign_id = ? AND state = 'in_flight'`,
      )
      .run(at, campaignId).changes;
    db.prepare(
      "UPDATE deliveries SET state = 'pending', next_attempt_at = NULL, updated_at = ? WHERE campaign_id = ? AND state = 'retrying'",
    ).run(at, campaignId);
    if (resendUncertain) {
      db.prepare(
        "UPDATE deliveries SET state = 'pending', updated_at = ? WHERE campaign_id = ? AND state = 'uncertain'",
      ).run(at, campaignId);
    }
    return { uncertain };
  })();
}
