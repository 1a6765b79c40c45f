// One index per order the subscription table offers (list-query.ts `sorts`), over the list outside the
// trash: a page at any depth of a million walks the index alone (covering: the key and the id), instead of
// sorting the whole list. The expressions must stay exactly those of `sorts`, or SQLite cannot use them.
export const SORT_INDEXES: ReadonlyArray<{ name: string; on: string }> = [
  { name: 'subscriptions_by_id', on: 'app_id, id' },
  { name: 'subscriptions_by_endpoint', on: 'app_id, endpoint, id' },
  { name: 'subscriptions_by_label', on: "app_id, coalesce(label, ''), id" },
  { name: 'subscriptions_by_status', on: 'app_id, status, id' },
  { name: 'subscriptions_by_service', on: 'app_id, push_service, id' },
  { name: 'subscriptions_by_last_attempt', on: 'app_id, coalesce(last_attempt_at, 0), id' },
];

export function createSortIndexes(): string {
  return SORT_INDEXES.map(
    ({ name, on }) => `CREATE INDEX IF NOT EXISTS ${name} ON subscriptions(${on}) WHERE deleted_at IS NULL;`,
  ).join('\n');
}

export function dropSortIndexes(): string {
  return SORT_INDEXES.map(({ name }) => `DROP INDEX IF EXISTS ${name};`).join('\n');
}

/**
 * Not an order: the list's time zones outside the trash, for timeZoneFacets (time-zones.ts), counted through
 * this index alone: 77 ms at a million subscriptions where reading every row took 406-521 ms (10.7 s from a
 * cold cache); 0.5 s to build, 9.6 MiB (a /tmp probe). Created by migration 017 (not 008: the column came in
 * 011) and kept by imports as the sort indexes are. Here, away from time-zones.ts, whose imports (zod, the
 * list's queries) the sending thread must not load through the migrations (send-thread-imports.test.ts).
 */
export const TIME_ZONE_INDEX = {
  create:
    'CREATE INDEX IF NOT EXISTS subscriptions_by_timezone ON subscriptions(app_id, timezone) WHERE deleted_at IS NULL',
  drop: 'DROP INDEX IF EXISTS subscriptions_by_timezone',
};
