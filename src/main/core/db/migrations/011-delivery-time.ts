// Schema 11: delivery timing (issue 17). A subscription's time zone; an app's default zone, quiet hours
// and frequency cap; a campaign's timing and its plan per zone; each delivery's zone and release time,
// and a journal state 'skipped' for deliveries left out by the cap or quiet hours (its reason says which).
import { summaryTriggers } from './006-results-summary.ts';
import { keepDeliveriesTrigger } from './007-deliveries-outlive-subscriptions.ts';
import type { Migration } from './index.ts';

export const deliveryTime: Migration = {
  name: 'delivery-time',
  up(db) {
    // The state CHECK cannot be changed in place: the table is made again and the rows copied, as in
    // migration 007 (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes").
    db.exec(`
      ALTER TABLE subscriptions ADD COLUMN timezone TEXT;
      ALTER TABLE apps ADD COLUMN default_timezone TEXT;
      -- "21:00-08:00" in each subscriber's local time, or NULL
      ALTER TABLE apps ADD COLUMN quiet_hours TEXT;
      ALTER TABLE apps ADD COLUMN cap_24h INTEGER;
      ALTER TABLE apps ADD COLUMN cap_7d INTEGER;
      ALTER TABLE apps ADD COLUMN alerts_ignore_quiet_hours INTEGER NOT NULL DEFAULT 1;
      -- JSON ResolvedTiming (delivery-time.ts); NULL: everyone at the start, no cap, no quiet hours
      ALTER TABLE campaigns ADD COLUMN timing TEXT;

      -- The plan of a timed campaign: one row per zone of its audience, made when it starts.
      CREATE TABLE campaign_zones (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        zone_id INTEGER NOT NULL,
        time_zone TEXT NOT NULL,
        release_at INTEGER NOT NULL,
        local_release TEXT NOT NULL,
        quiet TEXT CHECK (quiet IN ('held', 'skipped')),
        PRIMARY KEY (campaign_id, zone_id),
        UNIQUE (campaign_id, time_zone)
      ) STRICT, WITHOUT ROWID;

      -- Dropped first: a rename with a trigger naming a dropped table fails.
      DROP TRIGGER subscriptions_delete_keeps_deliveries;
      CREATE TABLE deliveries_v11 (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        subscription_id INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'sent', 'failed', 'expired', 'retrying', 'uncertain', 'skipped')),
        push_service TEXT,
        outcome TEXT,
        http_status INTEGER,
        reason TEXT,
        body_excerpt TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        latency_ms INTEGER,
        next_attempt_at INTEGER,
        updated_at INTEGER,
        endpoint_hash INTEGER,
        variant TEXT,
        -- campaign_zones.zone_id, and when the delivery may leave; NULL for a campaign sent at one instant
        zone_id INTEGER,
        release_at INTEGER,
        PRIMARY KEY (campaign_id, subscription_id)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO deliveries_v11 (campaign_id, subscription_id, state, push_service, outcome, http_status, reason,
          body_excerpt, attempts, latency_ms, next_attempt_at, updated_at, endpoint_hash, variant)
        SELECT campaign_id, subscription_id, state, push_service, outcome, http_status, reason,
          body_excerpt, attempts, latency_ms, next_attempt_at, updated_at, endpoint_hash, variant FROM deliveries;
      DROP TABLE deliveries;
      ALTER TABLE deliveries_v11 RENAME TO deliveries;
      CREATE INDEX deliveries_state ON deliveries(campaign_id, state, subscription_id);
      CREATE INDEX deliveries_subscription ON deliveries(subscription_id);
      -- the next release of a timed campaign
      CREATE INDEX deliveries_release ON deliveries(campaign_id, release_at) WHERE state = 'pending';

${summaryTriggers}

      -- Migration 007's trigger, made again once the new table has its name (a skipped delivery, like a
      -- sent one, keeps its state).
${keepDeliveriesTrigger}
    `);
  },
};
