// Schema 7: a campaign's journal outlives the subscriptions it reached. Emptying the trash used to delete
// their deliveries (ON DELETE CASCADE), and a completed campaign then showed 0 recipients. Now a purged
// subscription's deliveries stay, under the negative of its id (new subscriptions never get a negative
// rowid), with the endpoint's hash and the outcome: history is not rewritten by list maintenance.
import type { Migration } from './index.ts';
import { summaryTriggers } from './006-results-summary.ts';

/** Keeps a purged subscription's deliveries, detached (made again by migration 011 on its new table). */
export const keepDeliveriesTrigger = `      CREATE TRIGGER subscriptions_delete_keeps_deliveries BEFORE DELETE ON subscriptions BEGIN
        UPDATE deliveries SET
          subscription_id = -OLD.id,
          endpoint_hash = OLD.endpoint_hash,
          outcome = CASE WHEN state IN ('pending', 'retrying') THEN 'not-sent' ELSE outcome END,
          reason = CASE WHEN state IN ('pending', 'retrying') THEN 'subscription deleted before it was sent to'
                        WHEN state = 'in_flight' THEN 'in flight when the subscription was deleted: it may or may not have arrived'
                        ELSE reason END,
          next_attempt_at = NULL,
          state = CASE WHEN state IN ('pending', 'retrying') THEN 'failed'
                       WHEN state = 'in_flight' THEN 'uncertain' ELSE state END
        WHERE subscription_id = OLD.id;
      END;`;

export const deliveriesOutliveSubscriptions: Migration = {
  name: 'deliveries-outlive-subscriptions',
  up(db) {
    // SQLite cannot drop a foreign key in place: the table is made again and the rows copied
    // (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes"). Nothing refers to
    // deliveries, and the implicit DELETE of DROP TABLE fires no trigger.
    db.exec(`
      CREATE TABLE deliveries_v7 (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        -- the subscription; once it is deleted for good, the negative of its id
        subscription_id INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'sent', 'failed', 'expired', 'retrying', 'uncertain')),
        push_service TEXT,
        outcome TEXT,
        http_status INTEGER,
        reason TEXT,
        body_excerpt TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        latency_ms INTEGER,
        next_attempt_at INTEGER,
        updated_at INTEGER,
        -- the purged subscription's endpoint_hash (endpoint-hash.ts); NULL while it exists
        endpoint_hash INTEGER,
        PRIMARY KEY (campaign_id, subscription_id)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO deliveries_v7 (campaign_id, subscription_id, state, push_service, outcome, http_status, reason,
          body_excerpt, attempts, latency_ms, next_attempt_at, updated_at)
        SELECT campaign_id, subscription_id, state, push_service, outcome, http_status, reason,
          body_excerpt, attempts, latency_ms, next_attempt_at, updated_at FROM deliveries;
      DROP TABLE deliveries;
      ALTER TABLE deliveries_v7 RENAME TO deliveries;
      CREATE INDEX deliveries_state ON deliveries(campaign_id, state, subscription_id);
      CREATE INDEX deliveries_subscription ON deliveries(subscription_id);

      -- Migration 006's triggers went with the old table.
${summaryTriggers}

      -- A subscription deleted for good (the trash emptied, whoever does it) leaves its deliveries behind,
      -- detached; one that had not left yet will never leave, and one in flight may or may not have arrived.
${keepDeliveriesTrigger}
    `);
  },
};
