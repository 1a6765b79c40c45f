// The ordered list of migrations: the position in this list is the schema version. Append only once a
// version has shipped.
import type Database from 'better-sqlite3';
import { foundation } from './001-foundation.ts';
import { appsAndKeys } from './002-apps-keys.ts';
import { subscriptions } from './003-subscriptions.ts';
import { campaigns } from './004-campaigns.ts';
import { compose } from './005-compose.ts';
import { resultsSummary } from './006-results-summary.ts';
import { deliveriesOutliveSubscriptions } from './007-deliveries-outlive-subscriptions.ts';
import { listSortIndexes } from './008-list-sort-indexes.ts';
import { variants } from './009-variants.ts';
import { fieldLengths } from './010-field-lengths.ts';
import { deliveryTime } from './011-delivery-time.ts';
import { subscriptionSearch } from './012-subscription-search.ts';
import { audienceChanges } from './013-audience-changes.ts';
import { bulkCancels } from './014-bulk-cancels.ts';
import { audienceColumns } from './015-audience-columns.ts';
import { bulkRuns } from './016-bulk-runs.ts';
import { filterIndexes } from './017-filter-indexes.ts';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

export const migrations: readonly Migration[] = [
  foundation,
  appsAndKeys,
  subscriptions,
  campaigns,
  compose,
  resultsSummary,
  deliveriesOutliveSubscriptions,
  listSortIndexes,
  variants,
  fieldLengths,
  deliveryTime,
  subscriptionSearch,
  audienceChanges,
  bulkCancels,
  audienceColumns,
  bulkRuns,
  filterIndexes,
];
