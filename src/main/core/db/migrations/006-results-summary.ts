// Schema 6: a campaign's results summed up once its journal stops changing (journal-summary.ts), so that
// opening or listing campaigns of a million deliveries reads one value instead of counting the journal.
import type { Migration } from './index.ts';

/**
 * The triggers that drop a campaign's stored summary when its journal changes. Migrations 007 and 011 make
 * them again after rebuilding the deliveries table; the text is shared, the SQL each sends is unchanged
 * (test/main/core/db/migrations-frozen.test.ts).
 */
export const summaryTriggers = `      CREATE TRIGGER deliveries_insert_summary AFTER INSERT ON deliveries BEGIN
        UPDATE campaigns SET results_summary = NULL WHERE id = NEW.campaign_id AND results_summary IS NOT NULL;
      END;
      CREATE TRIGGER deliveries_update_summary AFTER UPDATE ON deliveries BEGIN
        UPDATE campaigns SET results_summary = NULL WHERE id = NEW.campaign_id AND results_summary IS NOT NULL;
      END;
      CREATE TRIGGER deliveries_delete_summary AFTER DELETE ON deliveries BEGIN
        UPDATE campaigns SET results_summary = NULL WHERE id = OLD.campaign_id AND results_summary IS NOT NULL;
      END;`;

export const resultsSummary: Migration = {
  name: 'results-summary',
  up(db) {
    db.exec(`
      -- JSON: totals, breakdowns and latency of the journal once it stopped changing;
      -- NULL until computed, and again whenever a delivery changes (triggers below)
      ALTER TABLE campaigns ADD COLUMN results_summary TEXT;

      -- Any change of a journal, whoever makes it (the sending thread, a retry, a cascade from deleted
      -- subscriptions, another process), drops the campaign's stored summary in the same transaction: a
      -- stored summary never disagrees with its deliveries. About 1.6 µs per delivery written.
${summaryTriggers}
    `);
  },
};
