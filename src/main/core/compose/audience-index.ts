// An in-memory, column-wise copy of what audience filters read (push service, creation date, tags) of each
// app's active subscriptions, so that the composer's live count takes milliseconds over a million
// subscriptions where SQL needs hundreds (it must visit every index entry). Kept while migration 13's
// counters of what it copies stay put (the trigger on the columns as of migration 15), whoever writes (this
// connection, the send worker, the CLI): campaigns, deliveries, a delivery's result and audit rows leave it
// alone. A "last reached" filter is counted in SQL: every message delivered moves last_success_at. A large app's copy is built in chunks between other requests (the composer
// answers from audience_totals or SQL meanwhile).
import { pushServices, TEST_DEVICE_TAG } from '../../../shared/compose-rules.ts';
import type { AudienceCount, AudienceFilter } from '../../../shared/compose.ts';
import type { CoreContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { readsIdle } from '../work-ahead.ts';

interface AppColumns {
  ids: Float64Array;
  service: Uint8Array;
  created: Float64Array;
  /** Membership per tag name, one byte per subscription, built when a filter first uses the tag. */
  tags: Map<string, Uint8Array>;
}

interface Versions {
  subscriptions: number;
  tags: number;
}

interface AppIndex {
  columns: AppColumns | null;
  /** audience_changes.subscriptions when the columns were read. */
  version: number;
  /** audience_changes.tags when the tag memberships were cleared last. */
  tagsVersion: number;
  /** The version a build under way reads, if any. */
  building: number | null;
}

interface DbState {
  apps: Map<number, AppIndex>;
  version: number;
  /** When the counter last moved (performance.now()). */
  changedAt: number;
}

/**
 * Build only once the data has been still this long: while a campaign sends, the worker commits every
 * moment, and rebuilding a million rows per count would cost more than counting in SQL.
 */
const QUIET_MS = 2_000;
/** Up to this many active subscriptions, an app's copy is built at once, in the request (≈ 0.1 s). */
export const BUILD_AT_ONCE = 50_000;
/**
 * Rows read per turn by a build in chunks: a request waits no longer than one. Chunks of 20,000 came 40-110
 * ms apart beside bench:ui's window on 2 cores (logged); a turn also waits while the window's reads are
 * answered (work-ahead.ts).
 */
const BUILD_CHUNK = 5_000;

const states = new WeakMap<Db, DbState>();
const MAX_CACHED_TAGS = 64;

function versions(db: Db): Versions {
  return db.prepare('SELECT subscriptions, tags FROM audience_changes WHERE id = 1').get() as Versions;
}

function state(db: Db, now: Versions): DbState {
  let s = states.get(db);
  if (!s) {
    s = { apps: new Map(), version: now.subscriptions, changedAt: -Infinity };
    states.set(db, s);
  }
  if (now.subscriptions !== s.version) {
    s.version = now.subscriptions;
    s.changedAt = performance.now();
  }
  return s;
}

function entry(s: DbState, appId: number): AppIndex {
  let e = s.apps.get(appId);
  if (!e) {
    e = { columns: null, version: -1, tagsVersion: -1, building: null };
    s.apps.set(appId, e);
  }
  return e;
}

/** The app's active subscriptions, from audience_totals (kept by migration 13's triggers). */
export function activeTotals(db: Db, appId: number): Array<{ service: string; n: number }> {
  return db
    .prepare(
      'SELECT push_service AS service, active AS n FROM audience_totals WHERE app_id = ? AND active > 0',
    )
    .all(appId) as Array<{ service: string; n: number }>;
}

/**
 * The app's columns if they are current; else null, having started building them when the data is still
 * (at once for a small app, in chunks for a large one).
 */
function currentColumns(db: Db, appId: number): AppColumns | null {
  const now = versions(db);
  const s = state(db, now);
  const e = entry(s, appId);
  if (e.columns && e.version === now.subscriptions) {
    if (e.tagsVersion !== now.tags) {
      e.columns.tags.clear();
      e.tagsVersion = now.tags;
    }
    return e.columns;
  }
  if (performance.now() - s.changedAt < QUIET_MS || e.building === now.subscriptions) return null;
  const size = activeTotals(db, appId).reduce((sum, t) => sum + t.n, 0);
  if (size <= BUILD_AT_ONCE) {
    const into = new ColumnsBuilder(size);
    readColumns(db, appId, 0, Infinity, into);
    const columns = into.columns();
    Object.assign(e, { columns, version: now.subscriptions, tagsVersion: now.tags });
    return columns;
  }
  e.building = now.subscriptions;
  void buildInChunks(db, appId, now, size).then(
    (columns) => {
      if (e.building === now.subscriptions) e.building = null;
      if (columns) Object.assign(e, { columns, version: now.subscriptions, tagsVersion: now.tags });
    },
    // The connection closed under it (the thread stops): nothing to keep.
    () => (e.building = null),
  );
  return null;
}

/**
 * Starts building the app's copy if it is not current (the composer opening), so that its first counts
 * find it ready; resolves once it is (or the data changed meanwhile, or it is not to be built now).
 */
export async function warmAudienceIndex(ctx: CoreContext, appId: number): Promise<boolean> {
  for (;;) {
    if (currentColumns(ctx.db, appId)) return true;
    const e = states.get(ctx.db)?.apps.get(appId);
    if (!e || e.building === null) return false;
    await turn();
  }
}

/**
 * Builds every app's copy, the largest first, one after the other (the composer's thread starting), so that
 * the composer finds it ready when the user opens it; a large app's in chunks between other requests.
 * Resolves with the apps whose copy is current.
 */
export async function warmAudienceIndexes(ctx: CoreContext): Promise<number[]> {
  const apps = ctx.db
    .prepare(
      'SELECT app_id FROM audience_totals WHERE active > 0 GROUP BY app_id ORDER BY sum(active) DESC, app_id',
    )
    .pluck()
    .all() as number[];
  const ready: number[] = [];
  for (const appId of apps) if (await warmAudienceIndex(ctx, appId)) ready.push(appId);
  return ready;
}

/** Lets the thread answer the requests that came meanwhile; unref'd, so a CLI process can still exit. */
const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 1).unref());

/**
 * Reads the copy BUILD_CHUNK rows at a time, each in its own statement, with a turn of the event loop
 * between them, into one set of arrays sized from audience_totals. Null if the counter moved before the
 * last chunk was read: the chunks may then disagree.
 */
async function buildInChunks(
  db: Db,
  appId: number,
  at: Versions,
  expected: number,
): Promise<AppColumns | null> {
  const into = new ColumnsBuilder(expected);
  let after = 0;
  while (readColumns(db, appId, after, BUILD_CHUNK, into) === BUILD_CHUNK) {
    after = into.lastId();
    await turn();
    await readsIdle();
    if (versions(db).subscriptions !== at.subscriptions) return null;
  }
  if (versions(db).subscriptions !== at.subscriptions) return null;
  return into.columns();
}

/**
 * The columns filled in id order. Sized once for the rows expected, so that a million rows leave no
 * chunks, copies or doubled arrays behind: the thread's typed arrays live outside its small heap, which
 * is seldom collected, and such leftovers held 20-50 MB beside a 17 MB copy at 1M.
 */
class ColumnsBuilder {
  private ids: Float64Array;
  private service: Uint8Array;
  private created: Float64Array;
  private n = 0;

  constructor(expected: number) {
    const size = Math.max(16, expected);
    this.ids = new Float64Array(size);
    this.service = new Uint8Array(size);
    this.created = new Float64Array(size);
  }

  push(id: number, service: number, created: number): void {
    if (this.n === this.ids.length) {
      // More rows than audience_totals said (a write since): a quarter more room.
      const size = Math.ceil(this.n * 1.25) + 16;
      this.ids = grow(this.ids, size);
      this.service = grow(this.service, size);
      this.created = grow(this.created, size);
    }
    this.ids[this.n] = id;
    this.service[this.n] = service;
    this.created[this.n] = created;
    this.n++;
  }

  lastId(): number {
    return this.ids[this.n - 1]!;
  }

  columns(): AppColumns {
    const { n } = this;
    return {
      ids: this.ids.subarray(0, n),
      service: this.service.subarray(0, n),
      created: this.created.subarray(0, n),
      tags: new Map(),
    };
  }
}

/** Adds the app's active subscriptions with an id above `after`, up to `limit` of them, in id order. */
function readColumns(db: Db, appId: number, after: number, limit: number, into: ColumnsBuilder): number {
  const serviceIndex = new Map<string, number>(pushServices.map((s, i) => [s, i]));
  const other = serviceIndex.get('other')!;
  // In id order straight from the covering index: a tag's members (sorted by id) then merge in one pass.
  const rows = db
    .prepare(
      `SELECT id, push_service, created_at FROM subscriptions INDEXED BY subscriptions_audience
       WHERE app_id = ? AND status = 'active' AND deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?`,
    )
    .raw()
    .iterate(appId, after, Number.isFinite(limit) ? limit : -1) as IterableIterator<[number, string, number]>;
  let read = 0;
  for (const [id, name, createdAt] of rows) {
    into.push(id, serviceIndex.get(name) ?? other, createdAt);
    read++;
  }
  return read;
}

function grow<T extends Float64Array | Uint8Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (size: number) => T)(size);
  bigger.set(array);
  return bigger;
}

function tagMembers(db: Db, appId: number, columns: AppColumns, name: string): Uint8Array {
  const cached = columns.tags.get(name);
  if (cached) return cached;
  const members = new Uint8Array(columns.ids.length);
  const ids = db
    .prepare(
      `SELECT st.subscription_id FROM subscription_tags st JOIN tags t ON t.id = st.tag_id
       WHERE t.app_id = ? AND t.name = ? ORDER BY st.subscription_id`,
    )
    .pluck()
    .iterate(appId, name) as IterableIterator<number>;
  let i = 0;
  for (const id of ids) {
    while (i < columns.ids.length && columns.ids[i]! < id) i++;
    if (i < columns.ids.length && columns.ids[i] === id) members[i] = 1;
  }
  if (columns.tags.size >= MAX_CACHED_TAGS) columns.tags.clear();
  columns.tags.set(name, members);
  return members;
}

/** True when this filter can be answered from the index (lists of chosen subscriptions go to SQL). */
export function indexable(filter: AudienceFilter): boolean {
  // The in-memory columns hold no custom fields, nor last_success_at (migration 15): those audiences are
  // counted in SQL.
  return (
    filter.lastSuccessFrom === undefined &&
    filter.lastSuccessTo === undefined &&
    !filter.endpoints?.length &&
    !filter.subscriptionIds?.length &&
    !filter.fields?.length &&
    !filter.timeZones?.length
  );
}

/**
 * The same answer as counting audienceSql's rows, from the in-memory columns; null while the data is still
 * changing or a large app's copy is being built (the caller counts in SQL then).
 */
export function countFromIndex(
  ctx: CoreContext,
  appId: number,
  filter: AudienceFilter,
): AudienceCount | null {
  const matcher = indexMatcher(ctx, appId, filter);
  if (!matcher) return null;
  const { ids, service, matches } = matcher;
  const perService = new Float64Array(pushServices.length);
  for (let i = 0; i < ids.length; i++) if (matches(i)) perService[service[i]!]!++;
  const byService: AudienceCount['byService'] = {};
  let recipients = 0;
  pushServices.forEach((name, i) => {
    if (perService[i]! > 0) byService[name] = perService[i];
    recipients += perService[i]!;
  });
  return { recipients, byService };
}

export interface IndexMatcher {
  /** The app's active subscriptions' ids, ascending. */
  ids: Float64Array;
  service: Uint8Array;
  /** Whether the subscription at this position is in the audience. */
  matches(position: number): boolean;
}

/** A test per position of the app's copy for the filter; null if the filter or the copy is not there. */
export function indexMatcher(ctx: CoreContext, appId: number, filter: AudienceFilter): IndexMatcher | null {
  if (!indexable(filter)) return null;
  const columns = currentColumns(ctx.db, appId);
  if (!columns) return null;
  const n = columns.ids.length;
  const member = (name: string) => tagMembers(ctx.db, appId, columns, name);
  const required: Uint8Array[] = [...(filter.tagsAll ?? []).map(member)];
  if (filter.testDevices) required.push(member(TEST_DEVICE_TAG));
  const anyOf = filter.tagsAny?.length ? union(filter.tagsAny.map(member), n) : null;
  const noneOf = filter.tagsNone?.length ? union(filter.tagsNone.map(member), n) : null;
  let serviceMask = 0;
  for (const service of filter.pushServices ?? []) serviceMask |= 1 << pushServices.indexOf(service);
  const createdFrom = filter.createdFrom ?? -Infinity;
  const createdTo = filter.createdTo ?? Infinity;
  const { ids, service, created } = columns;
  const matches = (i: number): boolean => {
    if (serviceMask !== 0 && (serviceMask & (1 << service[i]!)) === 0) return false;
    const c = created[i]!;
    if (c < createdFrom || c >= createdTo) return false;
    if (anyOf && anyOf[i] === 0) return false;
    if (noneOf && noneOf[i] === 1) return false;
    for (const r of required) if (r[i] === 0) return false;
    return true;
  };
  return { ids, service, matches };
}

function union(sets: Uint8Array[], n: number): Uint8Array {
  if (sets.length === 1) return sets[0]!;
  const out = new Uint8Array(n);
  for (const set of sets) for (let i = 0; i < n; i++) out[i] = out[i]! | set[i]!;
  return out;
}
