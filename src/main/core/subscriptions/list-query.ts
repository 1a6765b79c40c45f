// Reads an app's list: keyset pages in any sort order (a page far down from its anchor, page-anchors.ts),
// counts and one subscription's detail.
import { PushdeckError } from '../../../shared/errors.ts';
import type { PushService } from '../../../shared/compose.ts';
import {
  PAGE_SIZE,
  type SubscriptionDelivery,
  type SubscriptionDetail,
  type SubscriptionFilter,
  type SubscriptionRow,
  type SubscriptionSort,
  type SubscriptionStatus,
} from '../../../shared/subscriptions.ts';
import type { Db } from '../db/database.ts';
import {
  filterSql,
  inList,
  isWholeList,
  orderBy,
  pageListSql,
  sorts,
  type FilterSql,
  type SortSpec,
} from './list-filter.ts';
import { ANCHOR_STRIDE, anchorsWanted, rowsFromPage } from './page-anchors.ts';
import { indexSearchIds, indexSearchParts, unionOf, type IdsSql } from './search-index.ts';
import { searchPageIds } from './search-page.ts';

interface RowData {
  id: number;
  endpoint: string;
  label: string | null;
  push_service: PushService;
  status: SubscriptionStatus;
  created_at: number;
  last_status: number | null;
  last_reason: string | null;
  last_attempt_at: number | null;
  deleted_at: number | null;
  timezone: string | null;
}

const rowColumns = `s.id, s.endpoint, s.label, s.push_service, s.status, s.created_at, s.last_status,
  s.last_reason, s.last_attempt_at, s.deleted_at, s.timezone`;

function tagsOf(db: Db, ids: number[]): Map<number, string[]> {
  const result = new Map<number, string[]>();
  if (ids.length === 0) return result;
  const rows = db
    .prepare(
      `SELECT st.subscription_id AS id, t.name FROM subscription_tags st JOIN tags t ON t.id = st.tag_id
       WHERE st.subscription_id IN ${inList(ids)} ORDER BY t.name`,
    )
    .all(...ids) as { id: number; name: string }[];
  for (const row of rows) {
    const list = result.get(row.id);
    if (list) list.push(row.name);
    else result.set(row.id, [row.name]);
  }
  return result;
}

function toRow(row: RowData, tags: Map<number, string[]>): SubscriptionRow {
  return {
    id: row.id,
    endpoint: row.endpoint,
    label: row.label,
    tags: tags.get(row.id) ?? [],
    pushService: row.push_service,
    status: row.status,
    createdAt: row.created_at,
    lastStatus: row.last_status,
    lastReason: row.last_reason,
    lastAttemptAt: row.last_attempt_at,
    deletedAt: row.deleted_at,
    timeZone: row.timezone,
  };
}

/** Page `page` (from 0) of the list in this order. */
export function listPage(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  sortName: SubscriptionSort,
  page: number,
  limit = PAGE_SIZE,
): SubscriptionRow[] {
  const sort = sorts[sortName];
  // A deeper page: its ids from the nearest known page before it (page-anchors.ts), then their rows.
  const rows =
    page > 0
      ? rowsOf(
          db,
          rowsFromPage(db, appId, filter, sort, page, limit).map(([id]) => id),
        )
      : firstPage(db, appId, filter, sort, limit);
  anchorsWanted(db, appId, filter, sortName);
  return rows;
}

function firstPage(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  sort: SortSpec,
  limit: number,
): SubscriptionRow[] {
  const streamed = searchPageIds(db, appId, filter, sort, limit);
  if (streamed) return rowsOf(db, streamed);
  const { from, where, params } = pageListSql(db, appId, filter, sort);
  const rows = db
    .prepare(`SELECT ${rowColumns} FROM ${from} WHERE ${where} ORDER BY ${orderBy(sort)} LIMIT ?`)
    .all(...params, limit) as RowData[];
  const tags = tagsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toRow(row, tags));
}

/** The rows of these ids, in this order. */
function rowsOf(db: Db, ids: number[]): SubscriptionRow[] {
  if (ids.length === 0) return [];
  const byId = new Map(
    (
      db
        .prepare(`SELECT ${rowColumns} FROM subscriptions s WHERE s.id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids)) as RowData[]
    ).map((row) => [row.id, row]),
  );
  const tags = tagsOf(db, ids);
  return ids.map((id) => toRow(byId.get(id)!, tags));
}

export function countSubscriptions(db: Db, appId: number, filter: SubscriptionFilter): number {
  const fromTotals = countFromTotals(db, appId, filter);
  if (fromTotals !== null) return fromTotals;
  if (
    filter.tags?.length &&
    !filter.search?.trim() &&
    !filter.pushServices?.length &&
    !filter.fields?.length &&
    !filter.timeZones?.length &&
    !filter.deleted &&
    filter.status !== 'expired'
  ) {
    return countByTags(db, appId, filter.tags, filter.status === 'active');
  }
  const bySubtraction = countSearchBySubtraction(db, appId, filter);
  if (bySubtraction !== null) return bySubtraction;
  // A search's matches are gathered once, then each looked up in a covering index of the list (SQLite's own
  // choice: subscriptions_by_id, or subscriptions_list with a status), however many they are. At a million,
  // counting 200,000 matches (a city) took 114-144 ms against 366-484 ms walking the table and testing each
  // row ("broad"), and 1,000,000 matches 545-794 ms against 671-795 (/tmp probe, 3 runs each): walking never won.
  const { where, params } = filterSql(appId, filter);
  return (
    db.prepare(`SELECT count(*) AS n FROM subscriptions s WHERE ${where}`).get(...params) as {
      n: number;
    }
  ).n;
}

/** The most subscriptions outside a list for which countSearchBySubtraction counts a search. */
const SUBTRACT_AT_MOST = 50_000;

/** Subscriptions outside the app's list, over `subscriptions x`: other apps' and the app's trash. */
const OUTSIDE_LIST = '(x.app_id < ? OR x.app_id > ? OR (x.app_id = ? AND x.deleted_at IS NOT NULL))';

/**
 * A search's count in the list (the search alone, outside the trash) as its matches less those outside the
 * list, when few subscriptions are (at most SUBTRACT_AT_MOST: an app's trash, small other apps): the matches
 * are counted as the index gives them rather than each looked up. Counting a city's 200,000 matches of a
 * million took 57-77 ms with nothing outside the list and 117-170 ms with 20,000 in the trash, against
 * 195-376 ms looking each up (a copy of bench:ui's database, 3 runs each). Null for any other filter, or when
 * more are outside the list.
 */
function countSearchBySubtraction(db: Db, appId: number, filter: SubscriptionFilter): number | null {
  const { search } = filter;
  // The search alone: the whole list but for it.
  if (!isWholeList({ ...filter, search: undefined })) return null;
  const found = search ? indexSearchIds(appId, search) : null;
  if (!found) return null;
  const outside = db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM subscriptions x WHERE ${OUTSIDE_LIST} LIMIT ?)`)
    .pluck()
    .get(appId, appId, appId, SUBTRACT_AT_MOST + 1) as number;
  if (outside > SUBTRACT_AT_MOST) return null;
  if (outside === 0) {
    return db
      .prepare(`SELECT count(*) FROM (${found.clause})`)
      .pluck()
      .get(...found.params) as number;
  }
  // `+x.id`: SQLite walks the few outside the list and tests each against the matches, rather than look
  // each match up.
  return db
    .prepare(
      `WITH found(id) AS MATERIALIZED (${found.clause})
       SELECT (SELECT count(*) FROM found)
         - (SELECT count(*) FROM subscriptions x WHERE ${OUTSIDE_LIST} AND +x.id IN found)`,
    )
    .pluck()
    .get(...found.params, appId, appId, appId) as number;
}

/** Whether countFromTotals answers this filter: the whole list, or its active or expired part. */
function countsFromTotals(filter: SubscriptionFilter): boolean {
  const { status, ...rest } = filter;
  return status !== 'expired' && !Object.values(rest).some((value) => value !== undefined && value !== '');
}

/**
 * A read that costs a millisecond or so however long the list: the count of the whole list (or its active
 * part) from the totals, or one of the whole list's first pages (fewer than ANCHOR_STRIDE pages from its
 * start). Main answers these itself while no query thread is ready (query-lanes.ts).
 */
export function isLightRead(channel: string, input: unknown): boolean {
  if (typeof input !== 'object' || input === null) return false;
  const { filter, page, limit } = input as { filter?: SubscriptionFilter; page?: number; limit?: number };
  if (!filter) return false;
  if (channel === 'subscriptions.count') return countsFromTotals(filter);
  return (
    channel === 'subscriptions.page' &&
    isWholeList(filter) &&
    typeof page === 'number' &&
    page < ANCHOR_STRIDE &&
    (limit ?? PAGE_SIZE) <= PAGE_SIZE
  );
}

/**
 * The whole list's count, or its active part's, without walking it: the active subscriptions from
 * audience_totals (kept by triggers, migration 013), the expired ones through their range of the status
 * index (usually few). Null for any other filter.
 */
function countFromTotals(db: Db, appId: number, filter: SubscriptionFilter): number | null {
  if (!countsFromTotals(filter)) return null;
  const { status } = filter;
  const active = db
    .prepare('SELECT coalesce(sum(active), 0) FROM audience_totals WHERE app_id = ?')
    .pluck()
    .get(appId) as number;
  if (status === 'active') return active;
  const expired = db
    .prepare(
      `SELECT count(*) FROM subscriptions s INDEXED BY subscriptions_by_status
       WHERE s.app_id = ? AND s.deleted_at IS NULL AND s.status = 'expired'`,
    )
    .pluck()
    .get(appId) as number;
  return active + expired;
}

/**
 * A count that may stop past `upTo`: a search that finds much of a million (a city) takes 130+ ms of CPU to
 * count exactly, and the window shows "10,000+" at once and the exact number when it comes. Only a search
 * stops early; other filters have quick exact counts (indexes, countByTags).
 */
export function countSubscriptionsUpTo(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  upTo: number,
): { count: number; capped: boolean } {
  if (!filter.search?.trim()) return { count: countSubscriptions(db, appId, filter), capped: false };
  const parts = indexSearchParts(appId, filter.search, filter.deleted);
  if (parts) {
    const list = filterSql(appId, { ...filter, search: undefined });
    const inIndex = indexMatchesUpTo(db, parts.match, list, upTo);
    if (inIndex > upTo) return { count: upTo, capped: true };
    // The index's matches are all there are when nothing else matches (a tag's name, an endpoint's token,
    // usually so): their number is the count. At 1M, "Customer 4242" (100) 12-13 ms and "Customer 424"
    // (1,495) 38-39 ms, where looking the matches up again took 26-33 and 77-79 (/tmp probe on bench:ui's
    // database, 5 runs each).
    if (!othersInList(db, parts.others, list)) return { count: inIndex, capped: false };
  }
  // As countSubscriptions: the matches looked up, here until one more than upTo.
  const { where, params } = filterSql(appId, filter);
  const found = db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM subscriptions s WHERE ${where} LIMIT ?)`)
    .pluck()
    .get(...params, upTo + 1) as number;
  return found > upTo ? { count: upTo, capped: true } : { count: found, capped: false };
}

/**
 * How many of the list's rows the trigram index alone finds, up to upTo + 1: its matches streamed in rowid
 * order and each looked up (CROSS JOIN keeps that order), where the exact count first gathers every match
 * of the text, of the tags and of the endpoints (search-index.ts searchSql). `list`: the filter but for its
 * search.
 */
function indexMatchesUpTo(db: Db, match: string, { where, params }: FilterSql, upTo: number): number {
  return db
    .prepare(
      `SELECT count(*) FROM (SELECT 1 FROM subscription_search f CROSS JOIN subscriptions s ON s.id = f.rowid
         WHERE f.subscription_search MATCH ? AND ${where} LIMIT ?)`,
    )
    .pluck()
    .get(match, ...params, upTo + 1) as number;
}

/** Whether any of the list's rows is found other than through the trigram index (a tag, an endpoint). */
function othersInList(db: Db, others: IdsSql[], { where, params }: FilterSql): boolean {
  // NOT INDEXED: the few matches looked up one by one (search-page.ts).
  return (
    db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM subscriptions s NOT INDEXED WHERE ${where}
           AND s.id IN (${unionOf(others)}))`,
      )
      .pluck()
      .get(...params, ...others.flatMap((part) => part.params)) === 1
  );
}

export function tagNames(db: Db, appId: number): string[] {
  return db.prepare('SELECT name FROM tags WHERE app_id = ? ORDER BY name').pluck().all(appId) as string[];
}

/**
 * A subscription's delivery history, found campaign by campaign through the journal's primary key
 * (campaign_id, subscription_id): an app has few campaigns, the journal has a row per recipient.
 */
function deliveriesOf(db: Db, appId: number, subscriptionId: number): SubscriptionDelivery[] {
  const rows = db
    .prepare(
      `SELECT c.id AS campaignId, c.name AS campaignName, d.state, d.http_status AS httpStatus, d.reason,
         d.updated_at AS updatedAt
       FROM campaigns c JOIN deliveries d ON d.campaign_id = c.id AND d.subscription_id = ?
       WHERE c.app_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT 20`,
    )
    .all(subscriptionId, appId) as SubscriptionDelivery[];
  return rows;
}

export function subscriptionDetail(db: Db, appId: number, id: number): SubscriptionDetail {
  const row = db
    .prepare(
      `SELECT ${rowColumns}, s.p256dh, s.auth, s.fields, s.expiration_time, s.updated_at, s.last_success_at,
         s.failure_count, s.key_id
       FROM subscriptions s WHERE s.app_id = ? AND s.id = ?`,
    )
    .get(appId, id) as
    | (RowData & {
        p256dh: string;
        auth: string;
        fields: string | null;
        expiration_time: number | null;
        updated_at: number;
        last_success_at: number | null;
        failure_count: number;
        key_id: number | null;
      })
    | undefined;
  if (!row) throw new PushdeckError('SUBSCRIPTION_NOT_FOUND', `No subscription ${id} in this app.`);
  return {
    ...toRow(row, tagsOf(db, [row.id])),
    p256dh: row.p256dh,
    auth: row.auth,
    fields: row.fields ? (JSON.parse(row.fields) as Record<string, string>) : {},
    expirationTime: row.expiration_time,
    updatedAt: row.updated_at,
    lastSuccessAt: row.last_success_at,
    failureCount: row.failure_count,
    keyId: row.key_id,
    deliveries: deliveriesOf(db, appId, row.id),
  };
}

/**
 * Count by tag over a large list: the tag's links (one index range, no row reads), less those of the
 * subscriptions in the trash and, for active only, of the expired ones, both usually few.
 */
function countByTags(db: Db, appId: number, tags: string[], activeOnly: boolean): number {
  const tagIdList = db
    .prepare(`SELECT id FROM tags WHERE app_id = ? AND name IN ${inList(tags)}`)
    .pluck()
    .all(appId, ...tags) as number[];
  if (tagIdList.length === 0) return 0;
  const ids = inList(tagIdList);
  const linked = db
    .prepare(
      tagIdList.length === 1
        ? 'SELECT count(*) FROM subscription_tags WHERE tag_id = ?'
        : `SELECT count(DISTINCT subscription_id) FROM subscription_tags WHERE tag_id IN ${ids}`,
    )
    .pluck()
    .get(...tagIdList) as number;
  const tagged = `EXISTS (SELECT 1 FROM subscription_tags st WHERE st.subscription_id = s.id AND st.tag_id IN ${ids})`;
  const outside = db
    .prepare(
      `SELECT count(*) FROM subscriptions s WHERE s.app_id = ? AND s.deleted_at IS NOT NULL AND ${tagged}`,
    )
    .pluck()
    .get(appId, ...tagIdList) as number;
  const expired = activeOnly
    ? (db
        .prepare(
          `SELECT count(*) FROM subscriptions s WHERE s.app_id = ? AND s.deleted_at IS NULL AND s.status = 'expired' AND ${tagged}`,
        )
        .pluck()
        .get(appId, ...tagIdList) as number)
    : 0;
  return linked - outside - expired;
}
