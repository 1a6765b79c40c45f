// Writes an app's list (or the part a filter selects) as JSON, NDJSON or CSV, row by row: tags, label,
// custom fields and status all go out, so that the file imports back without loss. CSV cells that a
// spreadsheet would run as formulas are made inert.
import { columnTargets, type ImportFormat, type SubscriptionFilter } from '../../../shared/subscriptions.ts';
import type { Db } from '../db/database.ts';
import { writeWholeFileSync } from '../file-replace.ts';
import { csvCell } from './csv-records.ts';
import { countSubscriptions, filterSql } from './list-query.ts';

// The known fields, in the order an import maps them back (shared/subscriptions.ts).
const FIXED_COLUMNS: readonly string[] = columnTargets.filter(
  (target) => target !== 'field' && target !== 'ignore',
);
const FLUSH_CHARS = 1 << 20;

const CHUNK_ROWS = 5000;

type ExportRow = [
  endpoint: string,
  p256dh: string,
  auth: string,
  tags: string[],
  label: string | null,
  status: string,
  createdAt: number,
  expirationTime: number | null,
  fields: string | null,
];

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
];

export interface ExportTarget {
  write(text: string): void;
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

let lastMs = NaN;
let lastIso = '';

/** ISO 8601, remembering the last one: an imported list shares a few creation times. */
function iso(ms: number | null): string {
  if (ms === null) return '';
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** Streams the list into `target`, chunk by chunk. */
export function exportList(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  format: ImportFormat,
  target: ExportTarget,
  options: ExportOptions = {},
): ExportOutcome {
  const { where, params } = filterSql(appId, filter);
  const total = options.onProgress ? countSubscriptions(db, appId, filter) : 0;
  let stopped = false;
  let fieldNames: string[] = [];
  if (format === 'csv') {
    fieldNames = (
      db
        .prepare(
          `SELECT DISTINCT j.key FROM subscriptions s, json_each(s.fields) j WHERE ${where} AND s.fields IS NOT NULL ORDER BY j.key`,
        )
        .pluck()
        .all(...params) as string[]
    ).filter((name) => !FIXED_COLUMNS.includes(name));
  }
  // Rows in chunks by keyset, and the tags of each chunk in one index range: no per-row subquery.
  const walk = filter.status ? '' : ' NOT INDEXED';
  const chunkOf = db
    .prepare(
      `SELECT s.id, s.endpoint, s.p256dh, s.auth, s.label, s.status, s.created_at, s.expiration_time, s.fields
       FROM subscriptions s${walk} WHERE ${where} AND s.id > ? ORDER BY s.id LIMIT ${CHUNK_ROWS}`,
    )
    .raw();
  const linksOf = db
    .prepare('SELECT subscription_id, tag_id FROM subscription_tags WHERE subscription_id BETWEEN ? AND ?')
    .raw();
  const tagName = new Map(
    db.prepare('SELECT id, name FROM tags WHERE app_id = ?').raw().all(appId) as [number, string][],
  );
  function* rows(): Generator<ExportRow> {
    let after = 0;
    for (;;) {
      const chunk = chunkOf.all(...params, after) as ChunkRow[];
      if (chunk.length === 0) return;
      const tags = new Map<number, string[]>();
      for (const [id, tagId] of linksOf.all(chunk[0]![0], chunk[chunk.length - 1]![0]) as [
        number,
        number,
      ][]) {
        const name = tagName.get(tagId);
        if (name === undefined) continue;
        const list = tags.get(id);
        if (list) list.push(name);
        else tags.set(id, [name]);
      }
      for (const [id, endpoint, p256dh, auth, label, status, createdAt, expirationTime, fields] of chunk) {
        yield [
          endpoint,
          p256dh,
          auth,
          tags.get(id)?.sort() ?? [],
          label,
          status,
          createdAt,
          expirationTime,
          fields,
        ];
      }
      after = chunk[chunk.length - 1]![0];
      options.onProgress?.(count, total);
      if (options.cancelled?.()) {
        stopped = true;
        return;
      }
    }
  }

  let buffer = '';
  const emit = (text: string) => {
    buffer += text;
    if (buffer.length >= FLUSH_CHARS) {
      target.write(buffer);
      buffer = '';
    }
  };
  let count = 0;
  if (format === 'csv') emit(`${[...FIXED_COLUMNS, ...fieldNames].map(csvCell).join(',')}\n`);
  if (format === 'json') emit('[\n');
  for (const [endpoint, p256dh, auth, tags, label, status, createdAt, expirationTime, fields] of rows()) {
    if (format === 'csv') {
      // A base64url auth secret may start with '-', which a spreadsheet reads as a formula too.
      let line = `${csvCell(endpoint)},${p256dh},${csvCell(auth)},${csvCell(tags.join(';'))},${csvCell(label ?? '')},${status},${iso(createdAt)},${iso(expirationTime)}`;
      if (fieldNames.length > 0) {
        const values = fields ? (JSON.parse(fields) as Record<string, string>) : {};
        for (const name of fieldNames) line += `,${csvCell(values[name] ?? '')}`;
      }
      emit(`${line}\n`);
    } else {
      const object: Record<string, unknown> = {
        endpoint,
        expirationTime,
        keys: { p256dh, auth },
        tags,
        label,
        status,
        createdAt,
      };
      if (fields) object.fields = JSON.parse(fields);
      const text = JSON.stringify(object);
      emit(format === 'json' ? `${count > 0 ? ',\n' : ''}${text}` : `${text}\n`);
    }
    count++;
  }
  if (stopped) return { count, cancelled: true };
  if (format === 'json') emit(`${count > 0 ? '\n' : ''}]\n`);
  if (buffer !== '') target.write(buffer);
  return { count, cancelled: false };
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
  return writeWholeFileSync(
    file,
    (out) => exportList(db, appId, filter, format, out, options),
    (outcome) => !outcome.cancelled,
  );
}

export function exportToText(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  format: ImportFormat,
): { count: number; text: string } {
  const parts: string[] = [];
  const { count } = exportList(db, appId, filter, format, { write: (text) => parts.push(text) });
  return { count, text: parts.join('') };
}
