// An in-memory, column-wise copy of what audience filters read (push service, dates, tags) of each app's
// active subscriptions, so that the composer's live count takes milliseconds over a million subscriptions
// where SQL needs hundreds (it must visit every index entry). Rebuilt when the data may have changed:
// PRAGMA data_version moves on commits by other connections (send worker, CLI), total_changes() on this
// connection's own writes, minus the composer's own draft/template/segment writes.
import { pushServices, TEST_DEVICE_TAG } from '../../../shared/compose-rules.ts';
import type { AudienceCount, AudienceFilter } from '../../../shared/compose.ts';
import type { CoreContext } from '../context.ts';
import type { Db } from '../db/database.ts';

interface AppColumns {
  ids: Float64Array;
  service: Uint8Array;
  created: Float64Array;
  lastSuccess: Float64Array;
  /** Membership per tag name, one byte per subscription, built when a filter first uses the tag. */
  tags: Map<string, Uint8Array>;
}

interface DbState {
  stamp: string;
  ignoredChanges: number;
  apps: Map<number, AppColumns>;
  /** When the stamp last moved (performance.now()). */
  changedAt: number;
}

/**
 * Rebuild only once the data has been still this long: while a campaign sends, the worker commits every
 * moment, and rebuilding a million rows per count would cost more than counting in SQL.
 */
const QUIET_MS = 2_000;

const states = new WeakMap<Db, DbState>();
const MAX_CACHED_TAGS = 64;

function totalChanges(db: Db): number {
  return db.prepare('SELECT total_changes()').pluck().get() as number;
}

function state(db: Db): DbState {
  let s = states.get(db);
  if (!s) {
    s = { stamp: '', ignoredChanges: 0, apps: new Map(), changedAt: -Infinity };
    states.set(db, s);
  }
  const stamp = `${db.pragma('data_version', { simple: true }) as number}:${totalChanges(db) - s.ignoredChanges}`;
  if (stamp !== s.stamp) {
    if (s.stamp !== '') s.changedAt = performance.now();
    s.stamp = stamp;
    s.apps.clear();
  }
  return s;
}

/** A stamp that changes whenever an audience's answer may have changed: a cache key for derived figures. */
export function audienceStamp(ctx: CoreContext): string {
  return state(ctx.db).stamp;
}

/** Runs a write that cannot change any audience (drafts, templates, segments) without dropping the index. */
export function withoutAudienceChange<T>(ctx: CoreContext, write: () => T): T {
  const s = state(ctx.db);
  const before = totalChanges(ctx.db);
  try {
    return write();
  } finally {
    const after = totalChanges(ctx.db);
    s.ignoredChanges += after - before;
    s.stamp = s.stamp.replace(/:.*/, `:${after - s.ignoredChanges}`);
  }
}

function build(db: Db, appId: number): AppColumns {
  let size = 1024;
  let ids = new Float64Array(size);
  let service = new Uint8Array(size);
  let created = new Float64Array(size);
  let lastSuccess = new Float64Array(size);
  const serviceIndex = new Map<string, number>(pushServices.map((s, i) => [s, i]));
  const other = serviceIndex.get('other')!;
  // In id order straight from the covering index: a tag's members (sorted by id) then merge in one pass.
  const rows = db
    .prepare(
      `SELECT id, push_service, created_at, last_success_at FROM subscriptions INDEXED BY subscriptions_audience
       WHERE app_id = ? AND status = 'active' AND deleted_at IS NULL ORDER BY id`,
    )
    .raw()
    .iterate(appId) as IterableIterator<[number, string, number, number | null]>;
  let n = 0;
  for (const [id, name, createdAt, lastSuccessAt] of rows) {
    if (n === size) {
      size *= 2;
      ids = grow(ids, size);
      service = grow(service, size);
      created = grow(created, size);
      lastSuccess = grow(lastSuccess, size);
    }
    ids[n] = id;
    service[n] = serviceIndex.get(name) ?? other;
    created[n] = createdAt;
    lastSuccess[n] = lastSuccessAt ?? Number.NaN;
    n++;
  }
  return {
    ids: ids.subarray(0, n),
    service: service.subarray(0, n),
    created: created.subarray(0, n),
    lastSuccess: lastSuccess.subarray(0, n),
    tags: new Map(),
  };
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
  // The in-memory columns hold no custom fields: those audiences are counted in SQL.
  return (
    !filter.endpoints?.length &&
    !filter.subscriptionIds?.length &&
    !filter.fields?.length &&
    !filter.timeZones?.length
  );
}

/**
 * The same answer as counting audienceSql's rows, from the in-memory columns; null while the data is still
 * changing (the caller counts in SQL then).
 */
export function countFromIndex(
  ctx: CoreContext,
  appId: number,
  filter: AudienceFilter,
): AudienceCount | null {
  const s = state(ctx.db);
  let columns = s.apps.get(appId);
  if (!columns) {
    if (performance.now() - s.changedAt < QUIET_MS) return null;
    columns = build(ctx.db, appId);
    s.apps.set(appId, columns);
  }
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
  const bySuccess = filter.lastSuccessFrom !== undefined || filter.lastSuccessTo !== undefined;
  const successFrom = filter.lastSuccessFrom ?? -Infinity;
  const successTo = filter.lastSuccessTo ?? Infinity;

  const perService = new Float64Array(pushServices.length);
  const { service, created, lastSuccess } = columns;
  for (let i = 0; i < n; i++) {
    if (serviceMask !== 0 && (serviceMask & (1 << service[i]!)) === 0) continue;
    const c = created[i]!;
    if (c < createdFrom || c >= createdTo) continue;
    // NaN (never reached) fails both comparisons, as NULL does in SQL.
    if (bySuccess && !(lastSuccess[i]! >= successFrom && lastSuccess[i]! < successTo)) continue;
    if (anyOf && anyOf[i] === 0) continue;
    if (noneOf && noneOf[i] === 1) continue;
    let ok = true;
    for (const r of required) {
      if (r[i] === 0) {
        ok = false;
        break;
      }
    }
    if (ok) perService[service[i]!]!++;
  }
  const byService: AudienceCount['byService'] = {};
  let recipients = 0;
  pushServices.forEach((name, i) => {
    if (perService[i]! > 0) byService[name] = perService[i];
    recipients += perService[i]!;
  });
  return { recipients, byService };
}

function union(sets: Uint8Array[], n: number): Uint8Array {
  if (sets.length === 1) return sets[0]!;
  const out = new Uint8Array(n);
  for (const set of sets) for (let i = 0; i < n; i++) out[i] = out[i]! | set[i]!;
  return out;
}
