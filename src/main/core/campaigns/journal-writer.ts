// The sending thread's writes to the journal, in batches: results, the next starts (marked in flight
// before they leave), the subscriptions' last result, and a heartbeat. Kept apart from journal.ts so the
// thread does not load the audience query.
import type { DeliveryState, Outcome } from '../../../shared/campaigns.ts';
import type { Db } from '../db/database.ts';

export interface DeliveryResult {
  subscriptionId: number;
  /** 'pending': answered, but its origin is paused (origin-breaker.ts); it waits for the resume. */
  state: Extract<
    DeliveryState,
    'sent' | 'failed' | 'expired' | 'retrying' | 'uncertain' | 'pending' | 'skipped'
  >;
  outcome: Outcome;
  httpStatus: number | null;
  reason: string | null;
  bodyExcerpt: string | null;
  latencyMs: number | null;
  nextAttemptAt: number | null;
}

/** The sender's batched writes: results, the next starts, the subscriptions' last result, a heartbeat. */
export class JournalWriter {
  readonly #db: Db;
  readonly #campaignId: number;
  readonly #result;
  readonly #start;
  readonly #release;
  readonly #requeue;
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
    // A subscription moved to the trash (or purged) since it was read is not started: in the transaction
    // that marks a start, so only what was in flight when a delete committed may still leave. A retry after
    // a connection failure (reset, GOAWAY) adds 0 attempts.
    this.#start = db.prepare(
      `UPDATE deliveries SET state = 'in_flight', attempts = attempts + ?, updated_at = ? WHERE campaign_id = ? AND subscription_id = ?
         AND (SELECT deleted_at FROM subscriptions WHERE id = ?) IS NULL`,
    );
    this.#release = db.prepare(
      "UPDATE deliveries SET state = 'pending', next_attempt_at = NULL, updated_at = ? WHERE campaign_id = ? AND subscription_id = ? AND state = 'retrying'",
    );
    this.#requeue = db.prepare(
      "UPDATE deliveries SET state = 'pending', next_attempt_at = NULL, updated_at = ? WHERE campaign_id = ? AND subscription_id = ? AND state = 'failed'",
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
      (
        results: DeliveryResult[],
        starts: number[],
        at: number,
        heartbeat: boolean,
        uncounted: ReadonlySet<number>,
      ) => {
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
          // A paused origin's answer is the sender's problem, not the subscription's.
          if (r.httpStatus === null || r.state === 'retrying' || r.state === 'pending') continue;
          if (r.state === 'sent') this.#subscriptionOk.run(r.httpStatus, at, at, r.subscriptionId);
          else if (r.state === 'expired')
            this.#subscriptionExpired.run(r.httpStatus, r.reason, at, at, r.subscriptionId);
          else this.#subscriptionFailed.run(r.httpStatus, r.reason, at, r.subscriptionId);
        }
        const refused = new Set<number>();
        for (const id of starts) {
          const attempt = uncounted.has(id) ? 0 : 1;
          if (this.#start.run(attempt, at, this.#campaignId, id, id).changes === 0) refused.add(id);
        }
        if (heartbeat) this.#heartbeat.run(at, at, this.#campaignId);
        return refused;
      },
    );
  }

  /**
   * Writes the results and marks the starts in flight, each an attempt unless `uncounted`; returns the
   * starts refused (deleted meanwhile).
   */
  commit(
    results: DeliveryResult[],
    starts: number[],
    at: number,
    heartbeat: boolean,
    uncounted: ReadonlySet<number> = new Set(),
  ): Set<number> {
    return this.#commit(results, starts, at, heartbeat, uncounted);
  }

  /** Puts failed deliveries back to pending (a paused origin's); returns how many were failed. */
  requeue(subscriptionIds: number[], at: number): number {
    return this.#db.transaction(() =>
      subscriptionIds.reduce((moved, id) => moved + this.#requeue.run(at, this.#campaignId, id).changes, 0),
    )();
  }

  release(subscriptionIds: number[], at: number): void {
    this.#db.transaction(() => {
      for (const id of subscriptionIds) this.#release.run(at, this.#campaignId, id);
    })();
  }
}
