// Schema 15: the composer's audience index no longer copies last_success_at (a "last reached" filter is
// counted in SQL), so a delivery's result no longer moves the counter it is kept by: migration 13's trigger
// fired on every message delivered, one more UPDATE per message on the send path and the index dropped
// during every send. Recreated here on the columns the index still copies (audience-index.ts readColumns).
import type { Migration } from './index.ts';

const indexedColumns = ['app_id', 'status', 'deleted_at', 'push_service', 'created_at'];

export const audienceColumns: Migration = {
  name: 'audience-columns',
  up(db) {
    // sqlite.org/lang_createtrigger.html: with "UPDATE OF column-name" the trigger fires only if a named
    // column is on the left of the UPDATE's SET, so journal-writer.ts's 2xx update (last_status,
    // last_attempt_at, last_success_at, failure_count) does not even evaluate the WHEN clause.
    db.exec(`
      DROP TRIGGER subscriptions_audience_update;
      CREATE TRIGGER subscriptions_audience_update AFTER UPDATE OF ${indexedColumns.join(', ')} ON subscriptions
        WHEN ${indexedColumns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(' OR ')}
      BEGIN
        UPDATE audience_changes SET subscriptions = subscriptions + 1;
      END;
    `);
  },
};
