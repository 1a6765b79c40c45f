// The start of a draft (or due scheduled) campaign in one transaction: claim it, resolve its timing, write
// its journal (timed, variant or plain) and log the start. A failure anywhere leaves it as it was. Runs on
// the main connection (CLI, tests) or on a start thread's own one (start-worker.ts) for a zone plan.
import type { Actor } from '../../../shared/audit.ts';
import type { AudienceFilter } from '../../../shared/compose.ts';
import { PushdeckError } from '../../../shared/errors.ts';
import { appendAudit } from '../audit-log/append.ts';
import type { Db } from '../db/database.ts';
import { startTiming } from '../delivery-time/campaign-timing.ts';
import { createTimedJournal } from '../delivery-time/plan.ts';
import { createJournal } from './journal.ts';
import { createVariantJournal, parseStoredVariants } from './variants.ts';

export interface StartRow {
  id: number;
  app_id: number;
  name: string;
  audience: string;
  variants: string | null;
  timing: string | null;
}

/** Writes the start and returns the recipients; throws (writing nothing) when it cannot start. */
export function writeStart(db: Db, row: StartRow, scheduled: boolean, at: number, actor?: Actor): number {
  const id = row.id;
  const audience = JSON.parse(row.audience) as AudienceFilter;
  return db.transaction(() => {
    const claimed = scheduled
      ? db
          .prepare(
            "UPDATE campaigns SET state = 'sending', started_at = ?, updated_at = ? WHERE id = ? AND state = 'scheduled' AND scheduled_at <= ?",
          )
          .run(at, at, id, at).changes
      : db
          .prepare(
            "UPDATE campaigns SET state = 'sending', started_at = ?, updated_at = ? WHERE id = ? AND state IN ('draft', 'scheduled')",
          )
          .run(at, at, id).changes;
    if (claimed !== 1 && scheduled) {
      throw new PushdeckError(
        'CAMPAIGN_NOT_DUE',
        `Campaign ${id} is no longer due: it was unscheduled, moved later or started elsewhere.`,
      );
    }
    if (claimed !== 1)
      throw new PushdeckError('CAMPAIGN_RUNNING', `Campaign ${id} was just started elsewhere.`);
    const plan = parseStoredVariants(row.variants);
    const timing = startTiming(db, row, audience, at);
    const count = timing.zones
      ? createTimedJournal(db, id, row.app_id, audience, timing.zones, timing.defaultZone, at)
      : plan
        ? createVariantJournal(db, id, row.app_id, audience, plan, at).recipients
        : createJournal(db, id, row.app_id, audience, at);
    if (count === 0) {
      throw new PushdeckError(
        'AUDIENCE_EMPTY',
        'No active subscription matches this audience: nothing to send.',
      );
    }
    // In the same transaction: a failure to record the start (a full disk) leaves the campaign a draft.
    appendAudit(db, at, {
      action: 'campaign.start',
      appId: row.app_id,
      subject: row.name,
      details: { campaignId: id, recipients: count },
      ...(actor ? { actor } : {}),
    });
    return count;
  })();
}
