// Schema 10: per app, the longest value of the label and of each custom field in bytes (as inserted and
// JSON-escaped), kept up by every import (subscriptions/field-lengths.ts). The composer's byte budget and
// the CSV export's columns read these few rows instead of parsing a million subscriptions' fields.
import { measureFieldLengths } from '../../subscriptions/field-lengths.ts';
import type { Migration } from './index.ts';

export const fieldLengths: Migration = {
  name: 'field-lengths',
  up(db) {
    db.exec(`
      CREATE TABLE subscription_field_lengths (
        app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        -- 'label' is the subscription's label (as a placeholder names it); any other name a custom field
        name TEXT NOT NULL,
        max_bytes INTEGER NOT NULL,
        max_escaped_bytes INTEGER NOT NULL,
        PRIMARY KEY (app_id, name)
      ) STRICT, WITHOUT ROWID;
    `);
    measureFieldLengths(db);
  },
};
