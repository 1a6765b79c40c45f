// Schema 5: templates, saved segments and composer drafts, and the partial indexes that keep the composer's
// live recipient count fast over a million subscriptions (only active, not deleted rows are indexed).
import type { Migration } from './index.ts';

export const compose: Migration = {
  name: 'compose',
  up(db) {
    db.exec(`
      CREATE TABLE templates (
        id INTEGER PRIMARY KEY,
        app_id INTEGER REFERENCES apps(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        -- JSON: the composed message
        message TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (app_id, name)
      ) STRICT;

      CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        -- JSON: the audience filter
        filter TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (app_id, name)
      ) STRICT;

      CREATE TABLE compose_drafts (
        app_id INTEGER PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
        -- JSON: message, audience and options as the composer last held them
        draft TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Audience counts: the condition matches audienceSql's first clauses, and every column a filter reads
      -- is in the index (status and deleted_at too, or SQLite reads the wide table row), so a count is a scan
      -- of a narrow covering index.
      CREATE INDEX subscriptions_audience
        ON subscriptions(app_id, push_service, created_at, last_success_at, status, deleted_at)
        WHERE status = 'active' AND deleted_at IS NULL;
      CREATE INDEX subscriptions_audience_success
        ON subscriptions(app_id, last_success_at, push_service, created_at, status, deleted_at)
        WHERE status = 'active' AND deleted_at IS NULL;
    `);
  },
};
