// Schema 5: templates, saved segments and composer drafts.
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
    `);
  },
};
