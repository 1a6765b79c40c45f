// Schema 14: Stop for a bulk action under way. The action runs on its own thread or process (the bulk
// lane, the CLI) in chunks; between two it looks here for a stop asked after it began (bulk-actions.ts).
import type { Migration } from './index.ts';

export const bulkCancels: Migration = {
  name: 'bulk-cancels',
  up(db) {
    db.exec(`
      CREATE TABLE bulk_cancels (
        app_id INTEGER PRIMARY KEY REFERENCES apps(id) ON DELETE CASCADE,
        -- when the stop was asked (ms since 1970)
        asked_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
