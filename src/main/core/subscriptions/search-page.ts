// The first page of a search in id order (newest, oldest) without gathering every match first: the
// trigram index hands its matches over in rowid order, each looked up in the list until the page is full,
// and the tags' and endpoints' matches (usually few) are merged in. "Lisbon" at a million (200,000 matches):
// 0.5-1 ms of CPU, where gathering and sorting every match took 75-85 ms.
import type { SubscriptionFilter } from '../../../shared/subscriptions.ts';
import { checkpoint } from '../db/checkpoint.ts';
import type { Db } from '../db/database.ts';
import { filterSql, type SortSpec } from './list-filter.ts';
import { indexSearchParts, unionOf } from './search-index.ts';

/** The page's ids in the sort's order, or null where this way does not apply (another sort or search). */
export function searchPageIds(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  sort: SortSpec,
  limit: number,
): number[] | null {
  if (sort.key !== 's.id' || !filter.search?.trim()) return null;
  const parts = indexSearchParts(appId, filter.search, filter.deleted);
  if (!parts) return null;
  const dir = sort.descending ? 'DESC' : 'ASC';
  const { where, params } = filterSql(appId, { ...filter, search: undefined });
  // CROSS JOIN keeps the index outside, in its rowid order (FTS5 reads its doclists backwards for DESC:
  // sqlite.org/fts5.html, "ORDER BY rowid DESC"), so the LIMIT stops the walk.
  const walk = (order: 'ASC' | 'DESC', most: number) =>
    db
      .prepare(
        `SELECT s.id FROM subscription_search f CROSS JOIN subscriptions s ON s.id = f.rowid
         WHERE f.subscription_search MATCH ? AND ${checkpoint('f.rowid')} AND ${where}
         ORDER BY f.rowid ${order} LIMIT ?`,
      )
      .pluck()
      .all(parts.match, ...params, most) as number[];
  // Newest first: FTS5 walks its doclists backwards several times slower than forwards, most where the
  // matches are few ("Name77777", 11 of a million: 5-9 ms backwards, 0.6-1 ms forwards; "Customer 4242",
  // 100: 15-21 against 8-12 ms; /tmp probe on bench:ui's database). So the matches are read forwards up to
  // one more than a page: if that is all of them, the page is those, newest first; else backwards as
  // before, which stops soon where there are many (a city: 0.1 ms). A search with a few pages of matches
  // pays for both walks ("Customer 424", 1,495: 9 against 5 ms).
  const forwards = sort.descending ? walk('ASC', limit + 1) : null;
  const fromIndex = forwards && forwards.length <= limit ? forwards.reverse() : walk(dir, limit);
  // NOT INDEXED: the few matches looked up one by one, never a walk of the list testing each row.
  const others = db
    .prepare(
      `SELECT s.id FROM subscriptions s NOT INDEXED WHERE ${where} AND s.id IN (${unionOf(parts.others)})
       ORDER BY s.id ${dir} LIMIT ?`,
    )
    .pluck()
    .all(...params, ...parts.others.flatMap((part) => part.params), limit) as number[];
  const ids = [...new Set([...fromIndex, ...others])];
  return ids.sort((a, b) => (sort.descending ? b - a : a - b)).slice(0, limit);
}
