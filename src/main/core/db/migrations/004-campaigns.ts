// Schema 4: campaigns and their delivery journal, one row per (campaign, subscription).
import type { Migration } from './index.ts';

export const campaigns: Migration = {
  name: 'campaigns',
  up(db) {
    db.exec(`
      CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled')),
        -- JSON: what to send (payload format and content)
        message TEXT NOT NULL,
        -- JSON: ttl, urgency, topic, concurrency, rate
        options TEXT NOT NULL,
        -- JSON: the audience filter
        audience TEXT NOT NULL,
        scheduled_at INTEGER,
        started_at INTEGER,
        finished_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        -- the process sending it and when it last said so: a 'sending' campaign whose sender is gone was
        -- interrupted (killed, quit) and can be resumed
        runner_pid INTEGER,
        heartbeat_at INTEGER,
        last_error TEXT
      ) STRICT;
      CREATE INDEX campaigns_app ON campaigns(app_id, created_at);

      CREATE TABLE deliveries (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'sent', 'failed', 'expired', 'retrying', 'uncertain')),
        -- copied from the subscription when the journal is made: breakdowns read one table
        push_service TEXT,
        -- how the answer was understood: delivered, expired, rejected, auth, throttled, transient, not-sent
        outcome TEXT,
        http_status INTEGER,
        reason TEXT,
        body_excerpt TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        latency_ms INTEGER,
        next_attempt_at INTEGER,
        updated_at INTEGER,
        PRIMARY KEY (campaign_id, subscription_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX deliveries_state ON deliveries(campaign_id, state, subscription_id);
      -- Deleting subscriptions (emptying the trash) cascades here: without this, a scan per subscription.
      CREATE INDEX deliveries_subscription ON deliveries(subscription_id);
    `);
  },
};
