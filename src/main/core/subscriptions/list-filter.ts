// A list of subscriptions as SQL: its filter (a WHERE clause over `subscriptions s`) and its orders, each
// with the index that walks it (sort-indexes.ts). Shared by the list's pages, its anchors, counts, bulk
// actions and exports.
import type { SubscriptionFilter, SubscriptionSort } from '../../../shared/subscriptions.ts';
import { allOf } from '../db/where.ts';
import type { Db } from '../db/database.ts';
import { fieldAndZoneClauses } from './field-filter.ts';
import { fieldIndexOf } from './field-indexes.ts';
import { searchIsBroad, searchSql } from './search-index.ts';

export interface FilterSql {
  /** A WHERE clause over `subscriptions s`. */
  where: string;
  params: unknown[];
}

export const inList = (values: readonly unknown[]) => `(${values.map(() => '?').join(', ')})`;

/**
 * `broadSearch`: the search finds much of the list (searchIsBroad), so test each row rather than look up.
 * `fieldIndexes`: conditions on custom fields may use their indexes (field-filter.ts); false for a page in an
 * order other than id.
 */
export function filterSql(
  appId: number,
  filter: SubscriptionFilter,
  { broadSearch = false, fieldIndexes = true }: { broadSearch?: boolean; fieldIndexes?: boolean } = {},
): FilterSql {
  const search = filter.search?.trim();
  const found = search ? searchSql(appId, search, { inTrash: filter.deleted, broad: broadSearch }) : null;
  const fieldsAndZones = fieldAndZoneClauses(filter, fieldIndexes);
  return allOf([
    ['s.app_id = ?', appId],
    [filter.deleted ? 's.deleted_at IS NOT NULL' : 's.deleted_at IS NULL'],
    filter.status && ['s.status = ?', filter.status],
    filter.pushServices?.length && [
      `s.push_service IN ${inList(filter.pushServices)}`,
      ...filter.pushServices,
    ],
    filter.tags?.length && [
      `s.id IN (SELECT st.subscription_id FROM subscription_tags st WHERE st.tag_id IN
        (SELECT t.id FROM tags t WHERE t.app_id = ? AND t.name IN ${inList(filter.tags)}))`,
      appId,
      ...filter.tags,
    ],
    fieldsAndZones.clauses.length && [fieldsAndZones.clauses.join(' AND '), ...fieldsAndZones.params],
    found && [found.clause, ...found.params],
  ]);
}

export interface SortSpec {
  key: string;
  descending: boolean;
  /** Its index over the list outside the trash (sort-indexes.ts). */
  index: string;
}

export const sorts: Record<SubscriptionSort, SortSpec> = {
  newest: { key: 's.id', descending: true, index: 'subscriptions_by_id' },
  oldest: { key: 's.id', descending: false, index: 'subscriptions_by_id' },
  endpoint: { key: 's.endpoint', descending: false, index: 'subscriptions_by_endpoint' },
  label: { key: "coalesce(s.label, '')", descending: false, index: 'subscriptions_by_label' },
  status: { key: 's.status', descending: false, index: 'subscriptions_by_status' },
  pushService: { key: 's.push_service', descending: false, index: 'subscriptions_by_service' },
  lastAttempt: {
    key: 'coalesce(s.last_attempt_at, 0)',
    descending: true,
    index: 'subscriptions_by_last_attempt',
  },
};

/** The whole list outside the trash, unfiltered: the lists the sort indexes cover. */
export function isWholeList(filter: SubscriptionFilter): boolean {
  return (
    !filter.deleted &&
    !filter.status &&
    !filter.tags?.length &&
    !filter.pushServices?.length &&
    !filter.fields?.length &&
    !filter.timeZones?.length &&
    !filter.search?.trim()
  );
}

export function orderBy(sort: SortSpec): string {
  const dir = sort.descending ? 'DESC' : 'ASC';
  return sort.key === 's.id' ? `s.id ${dir}` : `${sort.key} ${dir}, s.id ${dir}`;
}

/**
 * How a page walks a filtered list. In id order: the range of a custom field's index when the filter has one
 * on a field with an index (field-indexes.ts); otherwise, without a status, the table itself, which beats
 * sorting what an index finds. In another order, SQLite's choice.
 */
export function walk(db: Db, filter: SubscriptionFilter, sort: SortSpec): string {
  if (sort.key !== 's.id') return '';
  const index = filter.deleted ? null : fieldIndexOf(db, filter.fields);
  if (index) return ` INDEXED BY ${index}`;
  return filter.status ? '' : ' NOT INDEXED';
}

/**
 * A filtered list as a page reads it: the table and how it is walked (walk), and its WHERE clause, with a
 * broad search tested row by row and conditions on custom fields through their indexes in id order only.
 */
export function pageListSql(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  sort: SortSpec,
): FilterSql & { from: string } {
  const { where, params } = filterSql(appId, filter, {
    broadSearch: searchIsBroad(db, appId, filter.search),
    fieldIndexes: sort.key === 's.id',
  });
  return { from: `subscriptions s${walk(db, filter, sort)}`, where, params };
}
