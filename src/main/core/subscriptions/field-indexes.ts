// An index per imported custom field (the first MAX_FIELD_INDEXES names, by name), over the list outside the
// trash: (app, the field's value ignoring case, id). A filter such as `city = Berlin` in id order then walks
// that index's range alone, at any depth, and counts it without reading a row: at a million subscriptions
// page 1,000 of Berlin's 200,000 took 2-3 ms and its count 8 ms, where walking the table and testing each
// row's JSON took 96-142 ms to reach the page (a /tmp probe; 1.3 s to build the index, 18 MiB). Imports
// create them (import/writer.ts ensureSubscriptionIndexes), the only writer of fields; SQLite keeps them.
import type { Db } from '../db/database.ts';
import { LABEL_FIELD } from '../payload/personalise.ts';

/** Each index costs ~18 MiB and ~1.3 s to build per million subscriptions, and slows every insert a little. */
export const MAX_FIELD_INDEXES = 8;

const PREFIX = 'subscriptions_field_';

/** The index's name: its field's name in hex, so that any name makes a plain identifier. */
export const fieldIndexName = (name: string) => `${PREFIX}${Buffer.from(name, 'utf8').toString('hex')}`;

/** A name a JSON path can hold (the filter refuses the others: shared/field-filter.ts). */
const indexable = (name: string) => name !== LABEL_FIELD && !/["\\]/.test(name) && name.length <= 64;

/**
 * `json_extract(s.fields, '$."name"')` with the path written out, not bound: SQLite uses an index on an
 * expression only for that same expression (sqlite.org/expridx.html), and a bound parameter is not.
 * The path is a string literal here: its single quotes doubled.
 */
export function fieldValueSql(name: string, column = 's.fields'): string {
  return `json_extract(${column}, '$."${name.replaceAll("'", "''")}"')`;
}

/** The custom field names that have, or are to have, an index. */
function indexedNames(db: Db): string[] {
  const names = db
    .prepare('SELECT DISTINCT name FROM subscription_field_lengths ORDER BY name')
    .pluck()
    .all() as string[];
  return names.filter(indexable).slice(0, MAX_FIELD_INDEXES);
}

/** Creates the indexes the imported fields want and lacks (each a pass over the list: inside an import's end). */
export function createFieldIndexes(db: Db): void {
  for (const name of indexedNames(db)) {
    db.exec(
      `CREATE INDEX IF NOT EXISTS ${fieldIndexName(name)}
       ON subscriptions(app_id, ${fieldValueSql(name, 'fields')} COLLATE NOCASE, id) WHERE deleted_at IS NULL`,
    );
  }
}

/** Drops them all, for a large import that builds them again at its end. */
export function dropFieldIndexes(db: Db): void {
  const indexes = db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'subscriptions' AND name GLOB ?`,
    )
    .pluck()
    .all(`${PREFIX}*`) as string[];
  for (const index of indexes) db.exec(`DROP INDEX IF EXISTS ${index}`);
}

/** The index of the first of these fields that has one, if any. */
export function fieldIndexOf(db: Db, fields: readonly { name: string }[] | undefined): string | null {
  const exists = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?`).pluck();
  for (const { name } of fields ?? []) {
    const index = fieldIndexName(name);
    if (exists.get(index)) return index;
  }
  return null;
}
