// Schema 9: A/B variants. A campaign may hold its variants (JSON), each delivery records the variant it was
// sent (or `rest` for the held part sent later), and the subscribers held back wait in held_recipients.
import type { Migration } from './index.ts';

export const variants: Migration = {
  name: 'variants',
  up(db) {
    db.exec(`
      -- JSON: { variants: [{ name, share, message, ttl?, urgency?, topic? }], holdRest, restVariant }
      ALTER TABLE campaigns ADD COLUMN variants TEXT;
      -- the variant this delivery sends; NULL for a campaign of one message
      ALTER TABLE deliveries ADD COLUMN variant TEXT;

      -- Subscribers outside every variant's share, kept for "send the rest". A subscriber is in the
      -- deliveries or here, never both: sending the rest moves them in one transaction, and the journal's
      -- primary key refuses a second delivery of the campaign to anyone. No foreign key to subscriptions:
      -- the move joins them and leaves out those deleted or expired since.
      CREATE TABLE held_recipients (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        subscription_id INTEGER NOT NULL,
        PRIMARY KEY (campaign_id, subscription_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
