// Turns an audience filter into SQL over the app's subscriptions, and answers the composer's questions about
// an audience: how many, which push services, a sample subscriber, a search for one subscription.
// Active, not deleted subscriptions only: expired ones never receive anything.
// Values only from the zod-free rules: the sending threads load this file (journal.ts).
import { TEST_DEVICE_TAG } from '../../../shared/compose-rules.ts';
import type {
  AudienceCount,
  AudienceFilter,
  PushService,
  SampleRecipient,
  SubscriptionMatch,
} from '../../../shared/compose.ts';
import type { CoreContext } from '../context.ts';
import { allOf } from '../db/where.ts';
import { endpointHash } from '../subscriptions/endpoint-hash.ts';
import { fieldAndZoneClauses } from '../subscriptions/field-filter.ts';
import { isEndpointPrefix, matchQuery, searchSql, usesSearchIndex } from '../subscriptions/search-index.ts';
import { ranked as rankedMatches, type Candidate } from '../subscriptions/search-rank.ts';
import { activeTotals, countFromIndex } from './audience-index.ts';

export interface AudienceSql {
  /** A WHERE clause over `subscriptions s`. */
  where: string;
  params: unknown[];
}

export function audienceSql(appId: number, filter: AudienceFilter): AudienceSql {
  const tagSubquery =
    'SELECT st.subscription_id FROM subscription_tags st JOIN tags t ON t.id = st.tag_id WHERE t.app_id = ? AND t.name IN';
  // One parameter per list, read by json_each: a list of 40,000 chosen ids gave "too many SQL variables".
  const inList = '(SELECT value FROM json_each(?))';
  const list = (values: readonly unknown[]) => JSON.stringify(values);
  const fieldsAndZones = fieldAndZoneClauses(filter);
  return allOf([
    // These three match the partial index subscriptions_audience (migration 5): keep them as written.
    ['s.app_id = ?', appId],
    ["s.status = 'active'"],
    ['s.deleted_at IS NULL'],
    filter.testDevices && [`s.id IN (${tagSubquery} (?))`, appId, TEST_DEVICE_TAG],
    filter.tagsAny?.length && [`s.id IN (${tagSubquery} ${inList})`, appId, list(filter.tagsAny)],
    ...(filter.tagsAll ?? []).map((tag) => [`s.id IN (${tagSubquery} (?))`, appId, tag] as const),
    filter.tagsNone?.length && [`s.id NOT IN (${tagSubquery} ${inList})`, appId, list(filter.tagsNone)],
    filter.pushServices?.length && [`s.push_service IN ${inList}`, list(filter.pushServices)],
    filter.endpoints?.length && [`s.endpoint IN ${inList}`, list(filter.endpoints)],
    filter.subscriptionIds?.length && [`s.id IN ${inList}`, list(filter.subscriptionIds)],
    filter.createdFrom !== undefined && ['s.created_at >= ?', filter.createdFrom],
    filter.createdTo !== undefined && ['s.created_at < ?', filter.createdTo],
    filter.lastSuccessFrom !== undefined && ['s.last_success_at >= ?', filter.lastSuccessFrom],
    filter.lastSuccessTo !== undefined && ['s.last_success_at < ?', filter.lastSuccessTo],
    fieldsAndZones.clauses.length && [fieldsAndZones.clauses.join(' AND '), ...fieldsAndZones.params],
  ]);
}

/** How many subscriptions the audience reaches, per push service. */
export function countAudience(ctx: CoreContext, appId: number, filter: AudienceFilter): AudienceCount {
  return (
    countFromTotals(ctx, appId, filter) ??
    countFromIndex(ctx, appId, filter) ??
    countAudienceSql(ctx, appId, filter)
  );
}

/** Whether the filter picks by push service at most, or not at all. */
function byServiceOnly(filter: AudienceFilter): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      key === 'pushServices' ||
      value === undefined ||
      value === false ||
      (Array.isArray(value) && !value.length),
  );
}

/**
 * The whole list's count, or a few push services', from audience_totals (one row per service, kept by
 * triggers): at once, where the index may not be built yet and SQL visits every subscription.
 */
function countFromTotals(ctx: CoreContext, appId: number, filter: AudienceFilter): AudienceCount | null {
  if (!byServiceOnly(filter)) return null;
  const wanted = filter.pushServices?.length ? new Set<string>(filter.pushServices) : null;
  const byService: AudienceCount['byService'] = {};
  let recipients = 0;
  for (const { service, n } of activeTotals(ctx.db, appId)) {
    if (wanted && !wanted.has(service)) continue;
    byService[service as PushService] = n;
    recipients += n;
  }
  return { recipients, byService };
}

/** The same count straight from SQL: for lists of chosen subscriptions, and the reference the index matches. */
export function countAudienceSql(ctx: CoreContext, appId: number, filter: AudienceFilter): AudienceCount {
  const { where, params } = audienceSql(appId, filter);
  const rows = ctx.db
    .prepare(`SELECT s.push_service AS service, COUNT(*) AS n FROM subscriptions s WHERE ${where} GROUP BY 1`)
    .all(...params) as Array<{ service: PushService; n: number }>;
  const byService: AudienceCount['byService'] = {};
  let recipients = 0;
  for (const row of rows) {
    byService[row.service] = row.n;
    recipients += row.n;
  }
  return { recipients, byService };
}

interface RecipientRow {
  id: number;
  label: string | null;
  fields: string | null;
  push_service: string;
}

export function parseFields(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function toSample(row: RecipientRow): SampleRecipient {
  return { id: row.id, label: row.label, fields: parseFields(row.fields), pushService: row.push_service };
}

/**
 * A subscriber to preview the message for: one with a label and custom fields if the audience has one
 * (that is what personalisation shows), else the first.
 */
export function sampleRecipient(
  ctx: CoreContext,
  appId: number,
  filter: AudienceFilter,
): SampleRecipient | null {
  const { where, params } = audienceSql(appId, filter);
  const select = `SELECT s.id, s.label, s.fields, s.push_service FROM subscriptions s WHERE ${where}`;
  const row = (ctx.db
    .prepare(`${select} AND s.fields IS NOT NULL AND s.label IS NOT NULL LIMIT 1`)
    .get(...params) ?? ctx.db.prepare(`${select} LIMIT 1`).get(...params)) as RecipientRow | undefined;
  return row ? toSample(row) : null;
}

/** Iterates the audience's recipients (label and fields) without loading them all. */
export function* audienceRecipients(
  ctx: CoreContext,
  appId: number,
  filter: AudienceFilter,
): Generator<SampleRecipient> {
  const { where, params } = audienceSql(appId, filter);
  const rows = ctx.db
    .prepare(`SELECT s.id, s.label, s.fields, s.push_service FROM subscriptions s WHERE ${where}`)
    .iterate(...params) as IterableIterator<RecipientRow>;
  for (const row of rows) yield toSample(row);
}

const RANKED = 1000;

/**
 * Finds subscriptions for a one-off message to one person: an exact endpoint first, then the people
 * search's label and field matches (search-index.ts), best first (search-rank.ts: a label match before a
 * field's), then tag and endpoint matches.
 */
export function searchSubscriptions(
  ctx: CoreContext,
  appId: number,
  query: string,
  limit = 20,
): SubscriptionMatch[] {
  const text = query.trim();
  if (text === '') return [];
  const active = "s.app_id = ? AND s.status = 'active' AND s.deleted_at IS NULL";
  const columns = 's.id, s.label, s.endpoint, s.push_service, s.created_at';
  const select = `SELECT ${columns} FROM subscriptions s`;
  // By the endpoint's hash index: `+` keeps SQLite from walking the app's active list instead.
  const exact = ctx.db
    .prepare(
      `${select} WHERE s.app_id = ? AND +s.status = 'active' AND +s.deleted_at IS NULL
         AND s.endpoint_hash = ? AND s.endpoint = ?`,
    )
    .all(appId, endpointHash(text), text) as MatchRow[];
  const match = isEndpointPrefix(text) ? null : matchQuery(text);
  // Ranked among the first RANKED matches of the index, in JS: bm25() would first count every row that
  // holds each word of the text, for its IDF (SQLite 3.54 ext/fts5/fts5_aux.c fts5Bm25GetData calls
  // xQueryPhrase per phrase), 120-150 ms of CPU for "Customer 4242" at a million where half the labels say
  // "Customer". A text that matches more than RANKED (a city of half the list) is too common for an order
  // by relevance to help.
  const ranked = match
    ? rankedMatches(
        ctx.db
          .prepare(
            `SELECT ${columns}, s.fields FROM (SELECT rowid FROM subscription_search
               WHERE subscription_search MATCH ? LIMIT ${RANKED}) f
             JOIN subscriptions s NOT INDEXED ON s.id = f.rowid WHERE ${active}`,
          )
          .all(match, appId) as Array<MatchRow & Candidate>,
        text,
      ).slice(0, limit)
    : [];
  // No ORDER BY: the lookups stop at the limit. NOT INDEXED: the index's matches are looked up one by one,
  // where an index would have SQLite test every active subscription.
  const { clause, params } = searchSql(appId, text);
  const lookups = usesSearchIndex(text) ? ' NOT INDEXED' : '';
  const rest =
    ranked.length < limit
      ? (ctx.db
          .prepare(`${select}${lookups} WHERE ${active} AND ${clause} LIMIT ?`)
          .all(appId, ...params, limit) as MatchRow[])
      : [];
  const seen = new Set<number>();
  return [...exact, ...ranked, ...rest]
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .slice(0, limit)
    .map((r) => ({
      id: r.id,
      label: r.label,
      endpoint: r.endpoint,
      pushService: r.push_service,
      createdAt: r.created_at,
    }));
}

interface MatchRow {
  id: number;
  label: string | null;
  endpoint: string;
  push_service: string;
  created_at: number;
}

/** The app's tag names, for the audience builder. */
export function listTags(ctx: CoreContext, appId: number): string[] {
  return (
    ctx.db.prepare('SELECT name FROM tags WHERE app_id = ? ORDER BY name').all(appId) as Array<{
      name: string;
    }>
  ).map((r) => r.name);
}
