// Reads an app's list: filters as SQL, keyset pages in any sort order, counts and one subscription's
// detail. A page far down starts from an anchor (the sort key of the first row of a page asked for
// before), kept per list until the data changes, and steps only over the rows since that anchor.
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
import { fieldAndZoneClauses } from './field-filter.ts';
import { matchQuery, searchIsBroad, searchSql, usesSearchIndex } from './search-index.ts';

export interface FilterSql {
  /** A WHERE clause over `subscriptions s`. */
  where: string;
  params: unknown[];
}

const inList = (values: readonly unknown[]) => `(${values.map(() => '?').join(', ')})`;

/** `broadSearch`: the search finds much of the list (searchIsBroad), so test each row rather than look up. */
export function filterSql(appId: number, filter: SubscriptionFilter, broadSearch = false): FilterSql {
  const clauses = ['s.app_id = ?', filter.deleted ? 's.deleted_at IS NOT NULL' : 's.deleted_at IS NULL'];
  const params: unknown[] = [appId];
  if (filter.status) {
    clauses.push('s.status = ?');
    params.push(filter.status);
  }
  if (filter.pushServices?.length) {
    clauses.push(`s.push_service IN ${inList(filter.pushServices)}`);
    params.push(...filter.pushServices);
  }
  if (filter.tags?.length) {
    clauses.push(
      `s.id IN (SELECT st.subscription_id FROM subscription_tags st WHERE st.tag_id IN
        (SELECT t.id FROM tags t WHERE t.app_id = ? AND t.name IN ${inList(filter.tags)}))`,
    );
    params.push(appId, ...filter.tags);
  }
  const fieldsAndZones = fieldAndZoneClauses(filter);
  clauses.push(...fieldsAndZones.clauses);
  params.push(...fieldsAndZones.params);
  const search = filter.search?.trim();
  if (search) {
    const found = searchSql(appId, search, { inTrash: filter.deleted, broad: broadSearch });
    clauses.push(found.clause);
    params.push(...found.params);
  }
  return { where: clauses.join(' AND '), params };
}

interface SortSpec {
  key: string;
  descending: boolean;
  /** Its index over the list outside the trash (sort-indexes.ts). */
  index: string;
}

const sorts: Record<SubscriptionSort, SortSpec> = {
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
function isWholeList(filter: SubscriptionFilter): boolean {
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

function orderBy(sort: SortSpec): string {
  const dir = sort.descending ? 'DESC' : 'ASC';
  return sort.key === 's.id' ? `s.id ${dir}` : `${sort.key} ${dir}, s.id ${dir}`;
}

type Anchor = [unknown, number];

let localVersion = 0;

/** Drops every list's page anchors: this connection wrote (another's writes change data_version). */
export function listsChanged(): void {
  localVersion++;
  pageAnchors.clear();
}

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
  if (page > 0) return pageFromAnchor(db, appId, filter, sort, page, limit);
  const { where, params } = filterSql(appId, filter, searchIsBroad(db, appId, filter.search));
  const rows = db
    .prepare(
      `SELECT ${rowColumns} FROM subscriptions s${walk(filter, sort)} WHERE ${where} ORDER BY ${orderBy(sort)} LIMIT ?`,
    )
    .all(...params, limit) as RowData[];
  const tags = tagsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toRow(row, tags));
}

/** In id order without a status, walking the table itself beats sorting what an index finds. */
const walk = (filter: SubscriptionFilter, sort: SortSpec) =>
  sort.key === 's.id' && !filter.status ? ' NOT INDEXED' : '';

/** First rows of the pages met so far, per list (app, filter, sort) and version of the file. */
const pageAnchors = new Map<string, Map<number, Anchor>>();

function anchorsOf(db: Db, appId: number, filter: SubscriptionFilter, sort: SortSpec): Map<number, Anchor> {
  const dataVersion = db.pragma('data_version', { simple: true }) as number;
  const cacheKey = JSON.stringify([
    db.name,
    dataVersion,
    localVersion,
    appId,
    filter,
    sort.key,
    sort.descending,
  ]);
  let anchors = pageAnchors.get(cacheKey);
  if (!anchors) {
    if (pageAnchors.size >= 16) pageAnchors.delete(pageAnchors.keys().next().value!);
    anchors = new Map();
    pageAnchors.set(cacheKey, anchors);
  }
  return anchors;
}

/**
 * A page from the first row of the nearest page before it that was asked for already (a seek), stepping
 * over the rows in between (tens of ms for half a million index entries), then those rows: scrolling on
 * from a page costs a seek, and a jump costs the distance from the nearest known page, never a pass over
 * the whole list. The whole list walks its sort's covering index; a filtered list the rows it selects.
 */
function pageFromAnchor(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  sort: SortSpec,
  page: number,
  limit: number,
): SubscriptionRow[] {
  const anchors = anchorsOf(db, appId, filter, sort);
  let from = 0;
  for (const known of anchors.keys()) if (known <= page && known > from) from = known;
  const anchor = anchors.get(from);
  const dir = sort.descending ? 'DESC' : 'ASC';
  const beyond = sort.descending ? '<' : '>';
  const whole = isWholeList(filter);
  const { where, params: filterParams } = whole
    ? { where: 's.app_id = ? AND s.deleted_at IS NULL', params: [appId] }
    : filterSql(appId, filter, searchIsBroad(db, appId, filter.search));
  const list = `FROM subscriptions s${whole ? ` INDEXED BY ${sort.index}` : walk(filter, sort)} WHERE ${where}`;
  let sql: string;
  let params: unknown[];
  if (!anchor) {
    sql = `SELECT s.id, ${sort.key} AS k ${list} ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?`;
    params = filterParams;
  } else if (sort.key === 's.id') {
    sql = `SELECT s.id, s.id AS k ${list} AND s.id ${beyond}= ? ORDER BY s.id ${dir} LIMIT ? OFFSET ?`;
    params = [...filterParams, anchor[1]];
  } else if (whole) {
    // (key, id) at or past the anchor as two index ranges merged in order: SQLite walks a row-value
    // comparison on an expression index entry by entry.
    sql = `SELECT s.id AS id, ${sort.key} AS k ${list} AND ${sort.key} = ? AND s.id ${beyond}= ?
           UNION ALL SELECT s.id AS id, ${sort.key} AS k ${list} AND ${sort.key} ${beyond} ?
           ORDER BY k ${dir}, id ${dir} LIMIT ? OFFSET ?`;
    params = [...filterParams, anchor[0], anchor[1], ...filterParams, anchor[0]];
  } else {
    sql = `SELECT s.id, ${sort.key} AS k ${list} AND (${sort.key}, s.id) ${beyond}= (?, ?)
           ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?`;
    params = [...filterParams, anchor[0], anchor[1]];
  }
  const found = db
    .prepare(sql)
    .raw()
    .all(...params, limit, (page - from) * PAGE_SIZE) as Array<[number, unknown]>;
  if (found.length === 0) return [];
  if (limit === PAGE_SIZE) anchors.set(page, [found[0]![1], found[0]![0]]);
  const ids = found.map(([id]) => id);
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
  // A search's matches are looked up one by one (an index would have SQLite test every subscription),
  // unless they are much of the list.
  const broad = searchIsBroad(db, appId, filter.search);
  const { where, params } = filterSql(appId, filter, broad);
  const scan = usesSearchIndex(filter.search) && !broad ? ' NOT INDEXED' : '';
  return (
    db.prepare(`SELECT count(*) AS n FROM subscriptions s${scan} WHERE ${where}`).get(...params) as {
      n: number;
    }
  ).n;
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
  if (indexMatchesPast(db, appId, filter, upTo)) return { count: upTo, capped: true };
  const broad = searchIsBroad(db, appId, filter.search);
  const { where, params } = filterSql(appId, filter, broad);
  const scan = usesSearchIndex(filter.search) && !broad ? ' NOT INDEXED' : '';
  const found = db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM subscriptions s${scan} WHERE ${where} LIMIT ?)`)
    .pluck()
    .get(...params, upTo + 1) as number;
  return found > upTo ? { count: upTo, capped: true } : { count: found, capped: false };
}

/**
 * Whether the trigram index alone finds more than `upTo` of the list's rows: its matches streamed in rowid
 * order and each looked up (CROSS JOIN keeps that order), stopping at upTo + 1, where the exact count first
 * gathers every match of the text, of the tags and of the endpoints (search-index.ts searchSql).
 */
function indexMatchesPast(db: Db, appId: number, filter: SubscriptionFilter, upTo: number): boolean {
  const match = usesSearchIndex(filter.search) ? matchQuery(filter.search!.trim()) : null;
  if (!match) return false;
  const { where, params } = filterSql(appId, { ...filter, search: undefined });
  const found = db
    .prepare(
      `SELECT count(*) FROM (SELECT 1 FROM subscription_search f CROSS JOIN subscriptions s ON s.id = f.rowid
         WHERE f.subscription_search MATCH ? AND ${where} LIMIT ?)`,
    )
    .pluck()
    .get(match, ...params, upTo + 1) as number;
  return found > upTo;
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
