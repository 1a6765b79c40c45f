// Schema 17: the indexes the list's filters walk: one per imported custom field (subscriptions/field-indexes.ts),
// so that `city = Berlin` pages and counts through it, and the time zones' (sort-indexes.ts), which their facet
// counts. Later imports create those of new field names.
import { createFieldIndexes } from '../../subscriptions/field-indexes.ts';
import { TIME_ZONE_INDEX } from '../../subscriptions/sort-indexes.ts';
import type { Migration } from './index.ts';

export const filterIndexes: Migration = {
  name: 'filter-indexes',
  up(db) {
    db.exec(TIME_ZONE_INDEX.create);
    createFieldIndexes(db);
  },
};
