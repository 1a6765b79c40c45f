// Schema 8: an index per order of the subscription table (subscriptions/sort-indexes.ts), so that sorting a
// million subscriptions by endpoint, label, status, push service or last attempt and jumping to any page
// walks an index instead of sorting the list (1.0-2.6 s before).
import { createSortIndexes } from '../../subscriptions/sort-indexes.ts';
import type { Migration } from './index.ts';

export const listSortIndexes: Migration = {
  name: 'list-sort-indexes',
  up(db) {
    db.exec(createSortIndexes());
  },
};
