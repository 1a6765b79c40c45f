// Schema 3: subscriptions of an app, deduplicated by endpoint (through a fixed-size hash index: a UNIQUE
// index on the ~150-character endpoint makes a million inserts ~5x slower), and their tags.
import type { Migration } from './index.ts';

export const subscriptions: Migration = {
  name: 'subscriptions',
  up(db) {
    db.exec(`
      CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        -- the VAPID key the subscription was created with
        key_id INTEGER REFERENCES app_keys(id),
        -- opaque, stored and used byte for byte
        endpoint TEXT NOT NULL,
        endpoint_hash INTEGER NOT NULL,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        push_service TEXT NOT NULL,
        label TEXT,
        -- JSON object of custom fields, for personalisation
        fields TEXT,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired')),
        expiration_time INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        -- set while the subscription is in the trash
        deleted_at INTEGER,
        last_status INTEGER,
        last_reason TEXT,
        last_attempt_at INTEGER,
        last_success_at INTEGER,
        failure_count INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX subscriptions_endpoint ON subscriptions(app_id, endpoint_hash);
      -- the live list (deleted_at IS NULL) or the trash, by status, in id order: audiences, counts, pages
      CREATE INDEX subscriptions_list ON subscriptions(app_id, deleted_at, status, id);

      CREATE TABLE tags (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        UNIQUE (app_id, name)
      ) STRICT;

      CREATE TABLE subscription_tags (
        tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
        subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
        PRIMARY KEY (tag_id, subscription_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX subscription_tags_subscription ON subscription_tags(subscription_id);
    `);
  },
};
