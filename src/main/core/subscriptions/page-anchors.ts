// The list's page anchors: the sort key and id of the first row of a page, kept per list (app, filter, sort)
// until the data changes, so that a page far down seeks to the nearest anchor before it and steps over only
// the rows since. On the reads lane's query threads the whole list's are also built ahead, between requests,
// every ANCHOR_STRIDE pages (every order of each app when the thread starts, an order again when a page of
// it is asked after a change): a jump to any depth then steps over fewer than ANCHOR_STRIDE pages of rows.
import { PAGE_SIZE, type SubscriptionFilter, type SubscriptionSort } from '../../../shared/subscriptions.ts';
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { isWholeList, orderBy, pageListSql, sorts, type SortSpec } from './list-filter.ts';
import { whenReadsIdle } from '../work-ahead.ts';

type Anchor = [key: unknown, id: number];

/** Pages between two anchors built ahead: a jump steps over at most 2,000 index entries (well under 1 ms). */
export const ANCHOR_STRIDE = 20;

interface ListAnchors {
  anchors: Map<number, Anchor>;
  /** Built ahead to the list's end, for this version. */
  built: boolean;
}

interface Known {
  version: string;
  lists: Map<string, ListAnchors>;
}

/** Per connection: the version of the data its anchors belong to, and each list's anchors. */
const known = new WeakMap<Db, Known>();

let localVersion = 0;

/** Drops every list's page anchors: this process wrote (a write through this connection also counts itself). */
export function listsChanged(): void {
  localVersion++;
}

/**
 * The data's version as this connection sees it: another connection's commits change data_version, this
 * connection's own rows changed total_changes(), triggers' included (sqlite.org/pragma.html#pragma_data_version,
 * sqlite.org/c3ref/total_changes.html).
 */
function versionOf(db: Db): string {
  const [dataVersion, ownChanges] = statement(
    db,
    'SELECT (SELECT data_version FROM pragma_data_version()), total_changes()',
  ).get() as [number, number];
  return `${dataVersion}:${ownChanges}:${localVersion}`;
}

const MAX_LISTS = 64;

function listAnchors(db: Db, appId: number, filter: SubscriptionFilter, sort: SortSpec): ListAnchors {
  const version = versionOf(db);
  let mine = known.get(db);
  if (mine?.version !== version) {
    // Another version's anchors may point anywhere: all go at once.
    mine = { version, lists: new Map() };
    known.set(db, mine);
  }
  const key = JSON.stringify([appId, filter, sort.key, sort.descending]);
  let list = mine.lists.get(key);
  if (!list) {
    if (mine.lists.size >= MAX_LISTS) mine.lists.delete(mine.lists.keys().next().value!);
    list = { anchors: new Map(), built: false };
    mine.lists.set(key, list);
  }
  return list;
}

/**
 * The ids and sort keys of up to `limit` rows from the first of page `page`, from the nearest page before
 * it whose first row is known (a seek), stepping over the rows in between; the page's first row becomes an
 * anchor. The whole list walks its sort's covering index; a filtered list the rows it selects.
 */
export function rowsFromPage(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  sort: SortSpec,
  page: number,
  limit: number,
): Array<[id: number, key: unknown]> {
  const { anchors } = listAnchors(db, appId, filter, sort);
  let from = -1;
  for (const page0 of anchors.keys()) if (page0 <= page && page0 > from) from = page0;
  const anchor = anchors.get(from);
  const offset = (page - Math.max(from, 0)) * PAGE_SIZE;
  const whole = isWholeList(filter);
  const {
    from: table,
    where,
    params: filterParams,
  } = whole
    ? {
        from: `subscriptions s INDEXED BY ${sort.index}`,
        where: 's.app_id = ? AND s.deleted_at IS NULL',
        params: [appId],
      }
    : pageListSql(db, appId, filter, sort);
  const list = `FROM ${table} WHERE ${where}`;
  const found =
    anchor && whole && sort.key !== 's.id'
      ? fromAnchorOfWholeList(db, list, sort, filterParams, anchor, limit, offset)
      : (statement(db, oneRange(list, sort, anchor)).all(
          ...filterParams,
          ...(!anchor ? [] : sort.key === 's.id' ? [anchor[1]] : anchor),
          limit,
          offset,
        ) as Array<[number, unknown]>);
  // The offset counts in pages of PAGE_SIZE whatever the limit: the first row found is the page's first.
  if (found.length > 0) anchors.set(page, [found[0]![1], found[0]![0]]);
  return found;
}

/** The rows from the list's start, from an id in id order, or from a (key, id) of a filtered list. */
function oneRange(list: string, sort: SortSpec, anchor: Anchor | undefined): string {
  const dir = sort.descending ? 'DESC' : 'ASC';
  const beyond = sort.descending ? '<' : '>';
  if (!anchor) return `SELECT s.id, ${sort.key} AS k ${list} ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?`;
  if (sort.key === 's.id') {
    return `SELECT s.id, s.id AS k ${list} AND s.id ${beyond}= ? ORDER BY s.id ${dir} LIMIT ? OFFSET ?`;
  }
  return `SELECT s.id, ${sort.key} AS k ${list} AND (${sort.key}, s.id) ${beyond}= (?, ?)
    ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?`;
}

/**
 * A whole list's rows at or past an anchor, in (key, id) order: those with the anchor's key from its id on,
 * then those past its key, each one range of the order's index walked as it lies (SQLite walks a row-value
 * comparison on an expression index entry by entry). As one UNION ALL, SQLite sorted the first range again
 * for the merge (EXPLAIN QUERY PLAN: a temporary B-tree): 20 ms a step over half a million empty labels.
 */
function fromAnchorOfWholeList(
  db: Db,
  list: string,
  sort: SortSpec,
  params: unknown[],
  anchor: Anchor,
  limit: number,
  offset: number,
): Array<[number, unknown]> {
  const dir = sort.descending ? 'DESC' : 'ASC';
  const beyond = sort.descending ? '<' : '>';
  const ties = `${list} AND ${sort.key} = ? AND s.id ${beyond}= ?`;
  const tieParams = [...params, anchor[0], anchor[1]];
  const first = statement(
    db,
    `SELECT s.id, ${sort.key} AS k ${ties} ORDER BY s.id ${dir} LIMIT ? OFFSET ?`,
  ).all(...tieParams, limit, offset) as Array<[number, unknown]>;
  if (first.length === limit) return first;
  // The anchor's key has fewer than offset + limit rows left: counted within that bound, they are skipped.
  const [tied] = statement(db, `SELECT count(*) FROM (SELECT 1 ${ties} LIMIT ?)`).get(
    ...tieParams,
    offset + limit,
  ) as [number];
  const rest = statement(
    db,
    `SELECT s.id, ${sort.key} AS k ${list} AND ${sort.key} ${beyond} ? ORDER BY ${orderBy(sort)} LIMIT ? OFFSET ?`,
  ).all(...params, anchor[0], limit - first.length, Math.max(0, offset - tied)) as Array<[number, unknown]>;
  return [...first, ...rest];
}

type Statement = Database.Statement<unknown[]>;

/** The anchors' few statements, prepared once per connection (a build asks the same one a thousand times). */
const statements = new WeakMap<Db, Map<string, Statement>>();

function statement(db: Db, sql: string): Statement {
  let mine = statements.get(db);
  if (!mine) statements.set(db, (mine = new Map()));
  let prepared = mine.get(sql);
  if (!prepared) {
    if (mine.size >= 64) mine.delete(mine.keys().next().value!);
    prepared = db.prepare(sql).raw();
    mine.set(sql, prepared);
  }
  return prepared;
}

interface Build {
  db: Db;
  appId: number;
  filter: SubscriptionFilter;
  sortName: SubscriptionSort;
  sort: SortSpec;
  /** The list's anchors it fills: another version's list means the data changed, and the build stops. */
  list: ListAnchors;
  /** The page of the last anchor it built (or found). */
  page: number;
}

/** Builds waiting, the first going on; null where nothing is built ahead (the CLI, tests, other lanes). */
let builds: Build[] | null = null;
let scheduled = false;
/** A slice of building between two requests: a request that arrives meanwhile waits at most this long. */
const SLICE_MS = 4;

/** Which of a lane's threads builds the whole list's anchors of an order: the walks split about evenly. */
const aheadShare: Record<SubscriptionSort, number> = {
  // The endpoint's index is the largest (150-character keys): half the work, with the id orders.
  endpoint: 0,
  newest: 0,
  oldest: 0,
  label: 1,
  lastAttempt: 1,
  pushService: 1,
  status: 1,
};

/**
 * The order in which a thread builds its share, the longest first: a jump that comes before its order is
 * built walks from the list's start, and the endpoint's walk costs the most. Built ahead at 1M (CPU):
 * endpoint 138-143 ms, lastAttempt 79-90, status 56-72, newest 67-71, label 64-66, pushService 54-60,
 * oldest 47-48; a walk to the end without anchors: endpoint 97-100 ms, the others 31-52.
 */
const aheadOrder: readonly SubscriptionSort[] = [
  'endpoint',
  'lastAttempt',
  'status',
  'newest',
  'label',
  'pushService',
  'oldest',
];

/** The thread of a lane of `threads` that builds this order's whole-list anchors ahead. */
export function aheadSlot(sortName: SubscriptionSort, threads: number): number {
  return aheadShare[sortName] % threads;
}

/**
 * The lane's thread that holds a page's anchors built ahead (its whole list's order), or null for one of the
 * first pages (found from the list's start without any: any thread is as quick), a page of a filtered list
 * (the thread that served that list before holds those) or any other request.
 */
export function anchorHolder(channel: string, input: unknown, threads: number): number | null {
  if (channel !== 'subscriptions.page' || typeof input !== 'object' || input === null) return null;
  const { filter, sort, page } = input as {
    filter?: SubscriptionFilter;
    sort?: SubscriptionSort;
    page?: number;
  };
  if (!filter || !isWholeList(filter) || !sort || !(sort in aheadShare)) return null;
  if (typeof page === 'number' && page < ANCHOR_STRIDE) return null;
  return aheadSlot(sort, threads);
}

/**
 * Builds anchors ahead on this connection from now on (the reads lane's query threads): for the orders of
 * each app's whole list that are this thread's share (slot of threads) at once, and for each whole list's
 * order asked for later (anchorsWanted).
 */
export function buildAnchorsAhead(db: Db, share = { slot: 0, threads: 1 }): void {
  builds ??= [];
  const apps = db.prepare('SELECT id FROM apps ORDER BY id').pluck().all() as number[];
  const mine = aheadOrder.filter((sortName) => aheadSlot(sortName, share.threads) === share.slot);
  // Each goes first as it comes: the first app's first order is built first.
  for (const appId of apps.reverse()) {
    for (const sortName of [...mine].reverse()) anchorsWanted(db, appId, {}, sortName);
  }
}

/**
 * After a page of the whole list: its order's anchors are built ahead, first of all, if they are not yet
 * (after a change, say). A filtered list is not: walking a field filter (city = Berlin) is a pass over the
 * table, about a second of CPU at 1M, which in bench:ui slowed the reads beside it more than it saved the
 * one deep page; its deep pages start from the nearest page asked before.
 */
export function anchorsWanted(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  sortName: SubscriptionSort,
): void {
  if (!builds || !isWholeList(filter)) return;
  const sort = sorts[sortName];
  const list = listAnchors(db, appId, filter, sort);
  if (list.built) return;
  const same = (build: Build) => build.list === list;
  const queued = builds.find(same);
  builds = builds.filter((build) => !same(build));
  builds.unshift(queued ?? { db, appId, filter, sortName, sort, list, page: -ANCHOR_STRIDE });
  if (!scheduled) {
    scheduled = true;
    setImmediate(nextSlice);
  }
}

/** The next slice, once the window's reads on the lane's other thread are answered (work-ahead.ts). */
const nextSlice = () => whenReadsIdle(runBuilds);

function runBuilds(): void {
  scheduled = false;
  if (!builds) return;
  const until = performance.now() + SLICE_MS;
  while (builds.length > 0 && performance.now() < until) {
    if (!buildStep(builds[0]!)) builds.shift();
  }
  if (builds.length > 0) {
    scheduled = true;
    setImmediate(nextSlice);
  } else {
    for (const resolve of waiting.splice(0)) resolve();
  }
}

/** Who waits for the builds ahead to end (whenBuiltAhead). */
const waiting: Array<() => void> = [];

/** Resolves once no build ahead is waiting (at once if none is): the thread's work at start is done. */
export function whenBuiltAhead(): Promise<void> {
  if (!anchorsBuilding()) return Promise.resolve();
  return new Promise((resolve) => waiting.push(resolve));
}

/** One more anchor of a build; false when the list is built or the build is stale. */
function buildStep(build: Build): boolean {
  const { db, appId, filter, sort } = build;
  try {
    if (!db.open || listAnchors(db, appId, filter, sort) !== build.list) return false;
    const page = build.page + ANCHOR_STRIDE;
    if (!build.list.anchors.has(page) && rowsFromPage(db, appId, filter, sort, page, 1).length === 0) {
      build.list.built = true;
      return false;
    }
    build.page = page;
    return true;
  } catch {
    // Built ahead only to go faster: a page asked later finds its rows the slower way.
    return false;
  }
}

/** Whether builds are still waiting (tests and benchmarks wait for them). */
export function anchorsBuilding(): boolean {
  return (builds?.length ?? 0) > 0;
}

/** The orders whose builds wait, the next first (tests). */
export function ordersBuilding(): SubscriptionSort[] {
  return (builds ?? []).map((build) => build.sortName);
}

/** Builds nothing more ahead (tests: a connection is closed after each). */
export function stopBuildingAhead(): void {
  builds = null;
  for (const resolve of waiting.splice(0)) resolve();
}

/** The pages of a list whose first row is known now, in order (tests). */
export function anchoredPages(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  sortName: SubscriptionSort,
): number[] {
  return [...listAnchors(db, appId, filter, sorts[sortName]).anchors.keys()].sort((a, b) => a - b);
}
