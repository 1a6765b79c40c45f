// Schema 2: apps (one website each) and their VAPID key pairs. Old keys stay, retired, so that their
// subscriptions can still be sent to until they re-subscribe.
import type { Migration } from './index.ts';

export const appsAndKeys: Migration = {
  name: 'apps-and-keys',
  up(db) {
    db.exec(`
      CREATE TABLE apps (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        subject TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE app_keys (
        id INTEGER PRIMARY KEY,
        app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        -- base64url of the 65-byte uncompressed P-256 point
        public_key TEXT NOT NULL,
        -- the 32-byte private scalar, sealed as 'protection' says
        private_key BLOB NOT NULL,
        protection TEXT NOT NULL CHECK (protection IN ('safe-storage', 'passphrase', 'none')),
        fingerprint TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        -- NULL for the app's current key
        retired_at INTEGER,
        UNIQUE (app_id, public_key)
      ) STRICT;
      CREATE UNIQUE INDEX app_keys_current ON app_keys(app_id) WHERE retired_at IS NULL;
    `);
  },
};
