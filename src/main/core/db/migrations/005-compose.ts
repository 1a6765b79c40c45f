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

      -- Audience counts: the composer keeps an in-memory copy of these columns (audience-index.ts), read in
      -- id order from this narrow covering index; the condition matches audienceSql's first clauses, and
      -- status and deleted_at are in it too, or SQLite would read the wide table rows.
      CREATE INDEX subscriptions_audience
        ON subscriptions(app_id, id, push_service, created_at, last_success_at, status, deleted_at)
        WHERE status = 'active' AND deleted_at IS NULL;
    `);
  },
};
