// The people search: an FTS5 trigram index (substring matches, any case, diacritics ignored) over each
// subscription's label and custom field values, kept in step by triggers; tags matched by name in the
// app's small tags table; endpoints by their start or their token's start, through the endpoint's index.
// Turns a search text into SQL.
import { checkpoint } from '../db/checkpoint.ts';
import type { Db } from '../db/database.ts';
import { likeLiteral } from '../db/where.ts';

/** The indexed columns' text, from a subscriptions row called `row` (NEW or OLD in a trigger, s in a query). */
const columns = (row: string) => ({
  label: `${row}.label`,
  // Field values only: names are searched with `name = value` conditions (field-filter.ts).
  fields: `CASE WHEN json_valid(${row}.fields) THEN (SELECT group_concat(value, ' ') FROM json_each(${row}.fields)) END`,
});

const insertFrom = (row: string) => {
  const c = columns(row);
  return `INSERT INTO subscription_search (rowid, label, fields) VALUES (${row}.id, ${c.label}, ${c.fields});`;
};

/**
 * The index and its triggers. Contentless (the text lives in subscriptions only) with contentless_delete,
 * so a row can be deleted by rowid. Subscriptions in the trash stay indexed: the list's filter tells them
 * apart, and trash/restore cost no index work.
 */
export function createSearchIndex(): string {
  return `
    CREATE VIRTUAL TABLE IF NOT EXISTS subscription_search USING fts5(
      label, fields,
      tokenize = 'trigram remove_diacritics 1', content = '', contentless_delete = 1
    );
    CREATE TRIGGER IF NOT EXISTS subscription_search_insert AFTER INSERT ON subscriptions BEGIN
      ${insertFrom('NEW')}
    END;
    CREATE TRIGGER IF NOT EXISTS subscription_search_update AFTER UPDATE OF label, fields ON subscriptions
    WHEN OLD.label IS NOT NEW.label OR OLD.fields IS NOT NEW.fields BEGIN
      DELETE FROM subscription_search WHERE rowid = OLD.id;
      ${insertFrom('NEW')}
    END;
    CREATE TRIGGER IF NOT EXISTS subscription_search_delete AFTER DELETE ON subscriptions BEGIN
      DELETE FROM subscription_search WHERE rowid = OLD.id;
    END;`;
}

/** Indexes the subscriptions already there (the migration), in rowid order. */
export function fillSearchIndex(db: Db): number {
  const c = columns('s');
  return db
    .prepare(
      `INSERT INTO subscription_search (rowid, label, fields)
       SELECT s.id, ${c.label}, ${c.fields} FROM subscriptions s ORDER BY s.id`,
    )
    .run().changes;
}

/** Trigrams: a text shorter than this matches nothing in the index (sqlite.org/fts5.html, trigram tokenizer). */
const TRIGRAM = 3;

const phrase = (text: string) => `"${text.replace(/"/g, '""')}"`;

/**
 * The FTS5 query for a text, or null when it is too short for trigrams. Words of three characters or more
 * must each appear somewhere (`anna berlin`); with a shorter word among them, the whole text must appear
 * as written (`user 7`).
 */
export function matchQuery(text: string): string | null {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length > 1 && words.every((word) => [...word].length >= TRIGRAM)) {
    return words.map(phrase).join(' AND ');
  }
  return [...text].length >= TRIGRAM ? phrase(text) : null;
}

/** The text looks like the start of an endpoint: those are found by prefix, through the endpoint's index. */
export function isEndpointPrefix(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

/** The first string after every string that starts with `prefix`, for a range scan. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

/** The same text in the cases a label usually starts with, for a short text's index ranges. */
function caseVariants(text: string): string[] {
  const lower = text.toLowerCase();
  const capital = lower.charAt(0).toUpperCase() + lower.slice(1);
  return [...new Set([text, lower, text.toUpperCase(), capital])];
}

export interface SearchSql {
  /** A condition over `subscriptions s`. */
  clause: string;
  params: unknown[];
}

/** The most push service addresses a token search looks under (an app has a handful). */
const MAX_ADDRESSES = 64;

/** An endpoint up to its token: through its last '/' or '=' (rtrim drops every other trailing character). */
const address = (endpoint: string) => `rtrim(${endpoint}, replace(replace(${endpoint}, '/', ''), '=', ''))`;

/** Ids of the app's subscriptions, in the list or in the trash: a SELECT over `subscriptions e`. */
export type IdsSql = SearchSql;

/**
 * Endpoints whose token (after the push service's address) starts with the text. In the list: one range of
 * the endpoint's index per address, the addresses found by skipping from one to the next. Tokens are
 * random: trigrams of them made indexing a million rows ~10x slower than labels and fields.
 */
function tokenStartIds(appId: number, text: string, inTrash: boolean): IdsSql {
  if (inTrash) {
    return {
      clause: `SELECT e.id FROM subscriptions e WHERE e.app_id = ? AND e.deleted_at IS NOT NULL
        AND ${checkpoint('e.id')} AND substr(e.endpoint, length(${address('e.endpoint')}) + 1, ?) = ?`,
      params: [appId, text.length, text],
    };
  }
  const live = 'e.app_id = ? AND e.deleted_at IS NULL';
  const byEndpoint = 'subscriptions e INDEXED BY subscriptions_by_endpoint';
  return {
    clause: `WITH RECURSIVE addresses(a) AS (
        SELECT (SELECT ${address('e.endpoint')} FROM ${byEndpoint} WHERE ${live} ORDER BY e.endpoint LIMIT 1)
        UNION ALL
        SELECT (SELECT ${address('e.endpoint')} FROM ${byEndpoint} WHERE ${live} AND e.endpoint > a || char(1114111)
                ORDER BY e.endpoint LIMIT 1)
          FROM addresses WHERE a IS NOT NULL LIMIT ${MAX_ADDRESSES})
      SELECT e.id FROM addresses JOIN ${byEndpoint}
        ON ${live} AND e.endpoint >= a || ? AND e.endpoint < a || ? || char(1114111)`,
    params: [appId, appId, appId, text, text],
  };
}

/**
 * Labels that begin with a short text, in the cases a label usually starts with, or tags that contain it:
 * ranges of the label's index and tag lookups, which SQLite counts without visiting the subscriptions.
 */
function shortTextSql(appId: number, text: string, tags: IdsSql): SearchSql {
  const label = "coalesce(s.label, '')";
  const variants = caseVariants(text);
  return {
    clause: `${checkpoint('s.id')} AND (${variants.map(() => `(${label} >= ? AND ${label} < ?)`).join(' OR ')} OR s.id IN (${tags.clause}))`,
    params: [...variants.flatMap((v) => [v, prefixEnd(v)]), ...tags.params],
  };
}

/** Whether the search reads the trigram index: its matches are best looked up one by one. */
export function usesSearchIndex(search: string | undefined): boolean {
  const text = search?.trim() ?? '';
  return text !== '' && !isEndpointPrefix(text) && matchQuery(text) !== null;
}

/**
 * Which subscriptions a search text finds, as one set of ids (SQLite then looks each up, rather than
 * testing every subscription against each part). An endpoint's start (`https://…`): by the endpoint's
 * order. Otherwise the trigram index (labels, field values), the tags whose name contains the text, and
 * endpoints whose token starts with it. A text of one or two characters is too short for trigrams: it
 * finds labels that begin with it and tags that contain it.
 */
export function searchSql(
  appId: number,
  search: string,
  { inTrash = false, broad = false }: { inTrash?: boolean; broad?: boolean } = {},
): SearchSql {
  const text = search.trim();
  if (isEndpointPrefix(text)) {
    return {
      clause: `${checkpoint('s.id')} AND (s.endpoint >= ? AND s.endpoint < ?)`,
      params: [text, prefixEnd(text)],
    };
  }
  const found = indexSearchIds(appId, text, inTrash);
  if (!found) return shortTextSql(appId, text, tagsPart(appId, text));
  // `+` for a broad search: SQLite walks the list (in the page's order) and tests each row against the
  // matches, instead of looking up and sorting a large share of the list.
  const id = broad ? '+s.id' : 's.id';
  return { clause: `${checkpoint('s.id')} AND ${id} IN (${found.clause})`, params: found.params };
}

/**
 * Every id a search that reads the trigram index finds, as one SELECT: the index's matches (any app's, in
 * the list or the trash), the app's tags whose name contains the text, endpoints whose token starts with it.
 * Null where the search does not read the index (usesSearchIndex).
 */
export function indexSearchIds(appId: number, search: string, inTrash = false): IdsSql | null {
  const parts = indexSearchParts(appId, search, inTrash);
  if (!parts) return null;
  const all: IdsSql[] = [
    {
      clause: `SELECT rowid FROM subscription_search WHERE subscription_search MATCH ? AND ${checkpoint('rowid')}`,
      params: [parts.match],
    },
    ...parts.others,
  ];
  return { clause: unionOf(all), params: all.flatMap((part) => part.params) };
}

/** Tags whose name contains the text: their subscriptions' ids. */
function tagsPart(appId: number, text: string): IdsSql {
  return {
    clause: `SELECT st.subscription_id FROM subscription_tags st WHERE st.tag_id IN
      (SELECT t.id FROM tags t WHERE t.app_id = ? AND t.name LIKE ? ESCAPE '\\')
      AND ${checkpoint('st.subscription_id')}`,
    params: [appId, `%${likeLiteral(text)}%`],
  };
}

/** Sets of ids as one (a WITH clause cannot follow UNION: each part is its own subquery). */
export const unionOf = (parts: IdsSql[]) =>
  parts.map((part) => `SELECT * FROM (${part.clause})`).join(' UNION ');

/**
 * A search that reads the trigram index, in parts: its FTS5 query, and the other sets of ids it finds (the
 * tags whose name contains the text, endpoints whose token starts with it). Null for an endpoint's start
 * or a text too short for trigrams.
 */
export function indexSearchParts(
  appId: number,
  search: string,
  inTrash = false,
): { match: string; others: IdsSql[] } | null {
  const text = search.trim();
  const match = isEndpointPrefix(text) ? null : matchQuery(text);
  if (!match) return null;
  const others = [tagsPart(appId, text)];
  if (!/\s/.test(text)) others.push(tokenStartIds(appId, text, inTrash));
  return { match, others };
}

/** Matches from which a search is broad (searchIsBroad). */
const BROAD = 20_000;

/**
 * Whether a search that reads the trigram index finds so much of the list (a city, a common tag) that a page
 * is best found walking the list in the page's order and testing each row, rather than looking all the
 * matches up and sorting them. Counts always look up (list-query.ts). Asked of the index and the tags with a
 * limit, in a few ms.
 */
export function searchIsBroad(db: Db, appId: number, search: string | undefined): boolean {
  const text = search?.trim() ?? '';
  const match = usesSearchIndex(text) ? matchQuery(text) : null;
  if (!match) return false;
  const found =
    (db
      .prepare(
        `SELECT count(*) FROM (SELECT 1 FROM subscription_search WHERE subscription_search MATCH ? LIMIT ${BROAD})`,
      )
      .pluck()
      .get(match) as number) +
    (db
      .prepare(
        `SELECT count(*) FROM (SELECT 1 FROM subscription_tags st WHERE st.tag_id IN
           (SELECT t.id FROM tags t WHERE t.app_id = ? AND t.name LIKE ? ESCAPE '\\') LIMIT ${BROAD})`,
      )
      .pluck()
      .get(appId, `%${likeLiteral(text)}%`) as number);
  return found >= BROAD;
}
