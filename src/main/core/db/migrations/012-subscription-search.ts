// Schema 12: the people search (subscriptions/search-index.ts): an FTS5 trigram index over label, custom
// field values and the endpoint's path start, its triggers, and the subscriptions already there indexed.
import { createSearchIndex, fillSearchIndex } from '../../subscriptions/search-index.ts';
import type { Migration } from './index.ts';

export const subscriptionSearch: Migration = {
  name: 'subscription-search',
  up(db) {
    db.exec(createSearchIndex());
    fillSearchIndex(db);
  },
};
