// Schema 16: how far the window's last bulk action of each app got (subscriptions.bulk.start, bulk-runs.ts),
// written after each committed chunk, so that one cut short by a crash or a quit is told at the next start.
import type { Migration } from './index.ts';

export const bulkRuns: Migration = {
  name: 'bulk-runs',
  up(db) {
    db.exec(`
      CREATE TABLE bulk_runs (
        app_id INTEGER PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        -- subscriptions done (committed) of total; total NULL before its first chunk
        done INTEGER NOT NULL,
        total INTEGER,
        started_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        -- its end told to the window, or (cut short) told at a later start; NULL while it runs
        ended_at INTEGER
      ) STRICT;
    `);
  },
};
