// Schema 13: what the composer's in-memory audience index (compose/audience-index.ts) depends on, counted by
// triggers, so that it survives writes that cannot change an audience (campaigns, deliveries, audit rows);
// and each app's active subscriptions per push service, which answers the whole list's count at once.
import type { Migration } from './index.ts';

/**
 * The subscription columns the index copies (audience-index.ts build) and its rows' condition. A custom
 * field or time zone filter is counted in SQL, never from the index: those columns need no counter.
 */
const indexedColumns = ['app_id', 'status', 'deleted_at', 'push_service', 'created_at', 'last_success_at'];

const active = (row: 'OLD' | 'NEW') => `${row}.status = 'active' AND ${row}.deleted_at IS NULL`;
// sqlite.org/lang_upsert.html, "Parsing Ambiguity": an INSERT … SELECT with an upsert needs a WHERE clause.
const countIn = `INSERT INTO audience_totals (app_id, push_service, active)
    SELECT NEW.app_id, NEW.push_service, 1 WHERE ${active('NEW')}
    ON CONFLICT (app_id, push_service) DO UPDATE SET active = active + 1;`;
const countOut = `UPDATE audience_totals SET active = active - 1
    WHERE ${active('OLD')} AND app_id = OLD.app_id AND push_service = OLD.push_service;`;

export const audienceChanges: Migration = {
  name: 'audience-changes',
  up(db) {
    db.exec(`
      -- One row: how many times the index's subscription columns and the tag memberships changed.
      CREATE TABLE audience_changes (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        subscriptions INTEGER NOT NULL,
        tags INTEGER NOT NULL
      ) STRICT;
      INSERT INTO audience_changes (id, subscriptions, tags) VALUES (1, 0, 0);

      -- Active, not deleted subscriptions per app and push service (what an audience with no filter reaches).
      CREATE TABLE audience_totals (
        app_id INTEGER NOT NULL,
        push_service TEXT NOT NULL,
        active INTEGER NOT NULL,
        PRIMARY KEY (app_id, push_service)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO audience_totals (app_id, push_service, active)
        SELECT app_id, push_service, COUNT(*) FROM subscriptions WHERE status = 'active' AND deleted_at IS NULL
        GROUP BY app_id, push_service;

      CREATE TRIGGER subscriptions_audience_insert AFTER INSERT ON subscriptions BEGIN
        UPDATE audience_changes SET subscriptions = subscriptions + 1;
        ${countIn}
      END;
      CREATE TRIGGER subscriptions_audience_delete AFTER DELETE ON subscriptions BEGIN
        UPDATE audience_changes SET subscriptions = subscriptions + 1;
        ${countOut}
      END;
      -- A delivery's result writes last_success_at (journal-writer.ts): one counter update then, no more.
      CREATE TRIGGER subscriptions_audience_update AFTER UPDATE OF ${indexedColumns.join(', ')} ON subscriptions
        WHEN ${indexedColumns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}
      BEGIN
        UPDATE audience_changes SET subscriptions = subscriptions + 1;
      END;
      CREATE TRIGGER subscriptions_audience_totals AFTER UPDATE OF app_id, status, deleted_at, push_service
        ON subscriptions
        WHEN OLD.app_id IS NOT NEW.app_id OR OLD.push_service IS NOT NEW.push_service
          OR (${active('OLD')}) IS NOT (${active('NEW')})
      BEGIN
        ${countOut}
        ${countIn}
      END;

      CREATE TRIGGER subscription_tags_audience_insert AFTER INSERT ON subscription_tags BEGIN
        UPDATE audience_changes SET tags = tags + 1;
      END;
      CREATE TRIGGER subscription_tags_audience_delete AFTER DELETE ON subscription_tags BEGIN
        UPDATE audience_changes SET tags = tags + 1;
      END;
      -- A filter names tags: a renamed tag, or a new one, may change what a cached name's members are.
      CREATE TRIGGER tags_audience_insert AFTER INSERT ON tags BEGIN
        UPDATE audience_changes SET tags = tags + 1;
      END;
      CREATE TRIGGER tags_audience_update AFTER UPDATE ON tags BEGIN
        UPDATE audience_changes SET tags = tags + 1;
      END;
      CREATE TRIGGER tags_audience_delete AFTER DELETE ON tags BEGIN
        UPDATE audience_changes SET tags = tags + 1;
      END;
    `);
  },
};
