// The delivery journal of a campaign: created from the audience inside SQLite (streamed, never loaded into
// memory), written in batches by the sender, recovered after a crash, and counted.
import type { CampaignTotals, DeliveryState, Outcome } from '../../../shared/campaigns.ts';
import type { AudienceFilter } from '../../../shared/compose.ts';
import { audienceSql } from '../compose/audience.ts';
import type { Db } from '../db/database.ts';

export interface DeliveryResult {
  subscriptionId: number;
  state: Extract<DeliveryState, 'sent' | 'failed' | 'expired' | 'retrying' | 'uncertain'>;
  outcome: Outcome;
  httpStatus: number | null;
  reason: string | null;
  bodyExcerpt: string | null;
  latencyMs: number | null;
  nextAttemptAt: number | null;
}

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

export function journalTotals(db: Db, campaignId: number): CampaignTotals {
  const rows = db
    .prepare('SELECT state, COUNT(*) AS n FROM deliveries WHERE campaign_id = ? GROUP BY state')
    .all(campaignId) as Array<{ state: DeliveryState; n: number }>;
  const by = Object.fromEntries(rows.map((row) => [row.state, row.n])) as Partial<
    Record<DeliveryState, number>
  >;
  const totals: CampaignTotals = {
    recipients: rows.reduce((sum, row) => sum + row.n, 0),
    delivered: by.sent ?? 0,
    expired: by.expired ?? 0,
    failed: by.failed ?? 0,
    pending: by.pending ?? 0,
    retrying: by.retrying ?? 0,
    inFlight: by.in_flight ?? 0,
    uncertain: by.uncertain ?? 0,
  };
  return totals;
}

/** The sender's batched writes: results, the next starts, the subscriptions' last result, a heartbeat. */
export class JournalWriter {
  readonly #db: Db;
  readonly #campaignId: number;
  readonly #result;
  readonly #start;
  readonly #release;
  readonly #heartbeat;
  readonly #subscriptionOk;
  readonly #subscriptionExpired;
  readonly #subscriptionFailed;
  readonly #commit;

  constructor(db: Db, campaignId: number) {
    this.#db = db;
    this.#campaignId = campaignId;
    this.#result = db.prepare(
      `UPDATE deliveries SET state = ?, outcome = ?, http_status = ?, reason = ?, body_excerpt = ?, latency_ms = ?,
         next_attempt_at = ?, updated_at = ? WHERE campaign_id = ? AND subscription_id = ?`,
    );
    this.#start = db.prepare(
      "UPDATE deliveries SET state = 'in_flight', attempts = attempts + 1, updated_at = ? WHERE campaign_id = ? AND subscription_id = ?",
    );
    this.#release = db.prepare(
      "UPDATE deliveries SET state = 'pending', next_attempt_at = NULL, updated_at = ? WHERE campaign_id = ? AND subscription_id = ? AND state = 'retrying'",
    );
    this.#heartbeat = db.prepare('UPDATE campaigns SET heartbeat_at = ?, updated_at = ? WHERE id = ?');
    this.#subscriptionOk = db.prepare(
      'UPDATE subscriptions SET last_status = ?, last_reason = NULL, last_attempt_at = ?, last_success_at = ?, failure_count = 0 WHERE id = ?',
    );
    this.#subscriptionExpired = db.prepare(
      `UPDATE subscriptions SET status = 'expired', last_status = ?, last_reason = ?, last_attempt_at = ?,
         failure_count = failure_count + 1, updated_at = ? WHERE id = ?`,
    );
    this.#subscriptionFailed = db.prepare(
      'UPDATE subscriptions SET last_status = ?, last_reason = ?, last_attempt_at = ?, failure_count = failure_count + 1 WHERE id = ?',
    );
    this.#commit = db.transaction(
      (results: DeliveryResult[], starts: number[], at: number, heartbeat: boolean) => {
        for (const r of results) {
          this.#result.run(
            r.state,
            r.outcome,
            r.httpStatus,
            r.reason,
            r.bodyExcerpt,
            r.latencyMs,
            r.nextAttemptAt,
            at,
            this.#campaignId,
            r.subscriptionId,
          );
          // Only answers from the push service say something about the subscription itself.
          if (r.httpStatus === null || r.state === 'retrying') continue;
          if (r.state === 'sent') this.#subscriptionOk.run(r.httpStatus, at, at, r.subscriptionId);
          else if (r.state === 'expired')
            this.#subscriptionExpired.run(r.httpStatus, r.reason, at, at, r.subscriptionId);
          else this.#subscriptionFailed.run(r.httpStatus, r.reason, at, r.subscriptionId);
        }
        for (const id of starts) this.#start.run(at, this.#campaignId, id);
        if (heartbeat) this.#heartbeat.run(at, at, this.#campaignId);
      },
    );
  }

  commit(results: DeliveryResult[], starts: number[], at: number, heartbeat: boolean): void {
    this.#commit(results, starts, at, heartbeat);
  }

  release(subscriptionIds: number[], at: number): void {
    this.#db.transaction(() => {
      for (const id of subscriptionIds) this.#release.run(at, this.#campaignId, id);
    })();
  }
}
