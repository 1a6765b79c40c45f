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
  readonly #subscriptionsOk;
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
    // a connection failure (reset, GOAWAY) adds 0 attempts. One statement per batch: the ids arrive as one
    // JSON array (json_each, sqlite.org/json1.html#jeach), and `IN (subquery)` seeks each of them on the
    // primary key whatever the statistics say; RETURNING names the rows it marked.
    this.#start = db
      .prepare(
        `UPDATE deliveries SET state = 'in_flight', attempts = attempts + ?, updated_at = ?
         WHERE campaign_id = ? AND subscription_id IN (SELECT value FROM json_each(?))
           AND (SELECT deleted_at FROM subscriptions WHERE id = deliveries.subscription_id) IS NULL
         RETURNING subscription_id`,
      )
      .pluck();
    this.#release = db.prepare(
      "UPDATE deliveries SET state = 'pending', next_attempt_at = NULL, updated_at = ? WHERE campaign_id = ? AND subscription_id = ? AND state = 'retrying'",
    );
    this.#requeue = db.prepare(
      "UPDATE deliveries SET state = 'pending', next_attempt_at = NULL, updated_at = ? WHERE campaign_id = ? AND subscription_id = ? AND state = 'failed'",
    );
    this.#heartbeat = db.prepare('UPDATE campaigns SET heartbeat_at = ?, updated_at = ? WHERE id = ?');
    // Answered 2xx: one statement per status in the batch (nearly always one), the ids as a JSON array.
    this.#subscriptionsOk = db.prepare(
      `UPDATE subscriptions SET last_status = ?, last_reason = NULL, last_attempt_at = ?, last_success_at = ?, failure_count = 0
       WHERE id IN (SELECT value FROM json_each(?))`,
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
        const ok = new Map<number, number[]>();
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
          if (r.state === 'sent') {
            const ids = ok.get(r.httpStatus);
            if (ids) ids.push(r.subscriptionId);
            else ok.set(r.httpStatus, [r.subscriptionId]);
          } else if (r.state === 'expired')
            this.#subscriptionExpired.run(r.httpStatus, r.reason, at, at, r.subscriptionId);
          else this.#subscriptionFailed.run(r.httpStatus, r.reason, at, r.subscriptionId);
        }
        for (const [status, ids] of ok) this.#subscriptionsOk.run(status, at, at, JSON.stringify(ids));
        const marked = new Set<number>();
        const mark = (attempt: number, ids: number[]) => {
          if (!ids.length) return;
          for (const id of this.#start.all(attempt, at, this.#campaignId, JSON.stringify(ids)) as number[])
            marked.add(id);
        };
        if (uncounted.size) {
          mark(
            1,
            starts.filter((id) => !uncounted.has(id)),
          );
          mark(
            0,
            starts.filter((id) => uncounted.has(id)),
          );
        } else mark(1, starts);
        const refused = new Set<number>();
        if (marked.size < starts.length) for (const id of starts) if (!marked.has(id)) refused.add(id);
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
