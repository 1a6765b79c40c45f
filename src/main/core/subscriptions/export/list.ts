// Writes an app's list (or the part a filter selects) as JSON, NDJSON or CSV, row by row: tags, label,
// custom fields and status all go out, so that the file imports back without loss. CSV cells that a
// spreadsheet would run as formulas are made inert.
import {
  columnTargets,
  type ImportFormat,
  type SubscriptionFilter,
} from '../../../../shared/subscriptions.ts';
import { PushdeckError } from '../../../../shared/errors.ts';
import type { Db } from '../../db/database.ts';
import { writeWholeFileSync } from '../../file-replace.ts';
import { csvCell } from '../import/csv-records.ts';
import { fieldLengths } from '../field-lengths.ts';
import { filterSql } from '../list-filter.ts';
import { countSubscriptions } from '../list-query.ts';

// The known fields, in the order an import maps them back (shared/subscriptions.ts).
const FIXED_COLUMNS: readonly string[] = columnTargets.filter(
  (target) => target !== 'field' && target !== 'ignore',
);
/** Bytes gathered before a write: a few large writes, and each row's text dies young (no rope to flatten). */
const WRITE_BYTES = 1 << 20;

const CHUNK_ROWS = 5000;

type ChunkRow = [
  id: number,
  endpoint: string,
  p256dh: string,
  auth: string,
  label: string | null,
  status: string,
  createdAt: number,
  expirationTime: number | null,
  fields: string | null,
  timeZone: string | null,
];

export interface ExportTarget {
  write(bytes: Uint8Array): void;
}

export interface ExportOptions {
  /** After each chunk of rows: how many are written of how many the filter selects. */
  onProgress?: (done: number, total: number) => void;
  /** Asked after each chunk; true stops the export (exportToFile then leaves no file). */
  cancelled?: () => boolean;
}

/** What an export did: rows written, and whether it was stopped before the end. */
export interface ExportOutcome {
  count: number;
  cancelled: boolean;
}

/** A row held a field that the CSV header, taken from field-lengths.ts, lacks: export again with all names. */
const COLUMNS_UNLISTED = 'EXPORT_COLUMNS_UNLISTED';

const two = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const three = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const DAY_MS = 86_400_000;
let lastDay = NaN;
let lastDate = '';

/** ISO 8601 as Date#toISOString writes it, the date part kept per day: a tenth of its cost per row. */
function iso(ms: number | null): string {
  if (ms === null) return '';
  if (!Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    const full = new Date(ms).toISOString();
    // Years beyond 9999 or before 0 (±YYYYYY) are left to toISOString whole.
    if (full.length !== 24) return full;
    lastDay = day;
    lastDate = full.slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  return `${lastDate}${two[(rest - (rest % 60)) / 60]}:${two[rest % 60]}:${two[second]}.${three[milli]}Z`;
}

/** Every custom field name of the rows the filter selects, by one pass over them (the slow, exact way). */
function fieldNamesByScan(db: Db, where: string, params: unknown[]): string[] {
  return db
    .prepare(
      `SELECT DISTINCT j.key FROM subscriptions s, json_each(s.fields) j WHERE ${where} AND s.fields IS NOT NULL ORDER BY j.key`,
    )
    .pluck()
    .all(...params) as string[];
}

/**
 * Streams the list into `target`, chunk by chunk. A CSV's field columns are the app's field names as
 * imports recorded them (`columns`), unless given; a row with a field outside them throws COLUMNS_UNLISTED.
 */
export function exportList(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  format: ImportFormat,
  target: ExportTarget,
  options: ExportOptions = {},
  columns?: string[],
): ExportOutcome {
  const { where, params } = filterSql(appId, filter);
  const total = options.onProgress ? countSubscriptions(db, appId, filter) : 0;
  const fieldNames = (format !== 'csv' ? [] : (columns ?? [...fieldLengths(db, appId).keys()])).filter(
    (name) => !FIXED_COLUMNS.includes(name),
  );
  // Rows in chunks by keyset, and the tags of each chunk in one index range: no per-row subquery.
  const walk = filter.status ? '' : ' NOT INDEXED';
  const chunkOf = db
    .prepare(
      `SELECT s.id, s.endpoint, s.p256dh, s.auth, s.label, s.status, s.created_at, s.expiration_time, s.fields, s.timezone
       FROM subscriptions s${walk} WHERE ${where} AND s.id > ? ORDER BY s.id LIMIT ${CHUNK_ROWS}`,
    )
    .raw();
  const linksOf = db
    .prepare('SELECT subscription_id, tag_id FROM subscription_tags WHERE subscription_id BETWEEN ? AND ?')
    .raw();
  const tagName = new Map(
    db.prepare('SELECT id, name FROM tags WHERE app_id = ?').raw().all(appId) as [number, string][],
  );

  const out = Buffer.allocUnsafe(WRITE_BYTES);
  let used = 0;
  const flush = () => {
    if (used > 0) target.write(out.subarray(0, used));
    used = 0;
  };
  const emit = (text: string) => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (used + text.length * 3 > WRITE_BYTES) {
      flush();
      if (text.length * 3 > WRITE_BYTES) {
        target.write(Buffer.from(text));
        return;
      }
    }
    used += out.write(text, used);
  };
  const csvLine = (row: ChunkRow, tags: string[] | undefined): string => {
    const [, endpoint, p256dh, auth, label, status, createdAt, expirationTime, fields, timeZone] = row;
    // A base64url auth secret may start with '-', which a spreadsheet reads as a formula too.
    let line = `${csvCell(endpoint)},${p256dh},${csvCell(auth)},${tags ? csvCell(tags.sort().join(';')) : ''},${label === null ? '' : csvCell(label)},${status},${iso(createdAt)},${iso(expirationTime)},${timeZone ?? ''}`;
    if (fieldNames.length > 0 || fields !== null) {
      const values = fields ? (JSON.parse(fields) as Record<string, string>) : {};
      let found = 0;
      for (const name of fieldNames) {
        const value = Object.hasOwn(values, name) ? values[name] : undefined;
        if (value === undefined) line += ',';
        else {
          found++;
          line += `,${csvCell(value)}`;
        }
      }
      let own = 0;
      for (const name in values) if (Object.hasOwn(values, name)) own++;
      if (own > found) throw new PushdeckError(COLUMNS_UNLISTED, 'A field has no column.');
    }
    return `${line}\n`;
  };
  const jsonText = (row: ChunkRow, tags: string[] | undefined): string => {
    const [, endpoint, p256dh, auth, label, status, createdAt, expirationTime, fields, timeZone] = row;
    const object: Record<string, unknown> = {
      endpoint,
      expirationTime,
      keys: { p256dh, auth },
      tags: tags?.sort() ?? [],
      label,
      status,
      createdAt,
    };
    if (timeZone) object.timezone = timeZone;
    if (fields) object.fields = JSON.parse(fields);
    return JSON.stringify(object);
  };

  let count = 0;
  if (format === 'csv') emit(`${[...FIXED_COLUMNS, ...fieldNames].map(csvCell).join(',')}\n`);
  if (format === 'json') emit('[\n');
  let after = 0;
  for (;;) {
    const chunk = chunkOf.all(...params, after) as ChunkRow[];
    if (chunk.length === 0) break;
    const tags = new Map<number, string[]>();
    for (const [id, tagId] of linksOf.all(chunk[0]![0], chunk[chunk.length - 1]![0]) as [number, number][]) {
      const name = tagName.get(tagId);
      if (name === undefined) continue;
      const list = tags.get(id);
      if (list) list.push(name);
      else tags.set(id, [name]);
    }
    for (const row of chunk) {
      const rowTags = tags.get(row[0]);
      if (format === 'csv') emit(csvLine(row, rowTags));
      else if (format === 'json') emit(`${count > 0 ? ',\n' : ''}${jsonText(row, rowTags)}`);
      else emit(`${jsonText(row, rowTags)}\n`);
      count++;
    }
    after = chunk[chunk.length - 1]![0];
    options.onProgress?.(count, total);
    if (options.cancelled?.()) return { count, cancelled: true };
  }
  if (format === 'json') emit(`${count > 0 ? '\n' : ''}]\n`);
  flush();
  return { count, cancelled: false };
}

/** Runs an export with the recorded field names, and once more with every name found when one lacked. */
function withColumns<T>(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  run: (columns?: string[]) => T,
): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof PushdeckError) || error.code !== COLUMNS_UNLISTED) throw error;
    const { where, params } = filterSql(appId, filter);
    return run(fieldNamesByScan(db, where, params));
  }
}

export function exportToFile(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  format: ImportFormat,
  file: string,
  options: ExportOptions = {},
): ExportOutcome {
  // Only a complete export takes the file's name: a failed or stopped one leaves what was there, and no
  // temporary file (file-replace.ts).
  return withColumns(db, appId, filter, (columns) =>
    writeWholeFileSync(
      file,
      (out) => exportList(db, appId, filter, format, out, options, columns),
      (outcome) => !outcome.cancelled,
    ),
  );
}
