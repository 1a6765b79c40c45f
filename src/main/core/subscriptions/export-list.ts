// Writes an app's list (or the part a filter selects) as JSON, NDJSON or CSV, row by row: tags, label,
// custom fields and status all go out, so that the file imports back without loss. CSV cells that a
// spreadsheet would run as formulas are made inert.
import fs from 'node:fs';
import type { ImportFormat, SubscriptionFilter } from '../../../shared/subscriptions.ts';
import type { Db } from '../db/database.ts';
import { csvCell } from './csv-records.ts';
import { filterSql } from './list-query.ts';

const FIXED_COLUMNS = [
  'endpoint',
  'p256dh',
  'auth',
  'tags',
  'label',
  'status',
  'created_at',
  'expiration_time',
];
const FLUSH_CHARS = 1 << 20;

type ExportRow = [
  endpoint: string,
  p256dh: string,
  auth: string,
  tags: string | null,
  label: string | null,
  status: string,
  createdAt: number,
  expirationTime: number | null,
  fields: string | null,
];

export interface ExportTarget {
  write(text: string): void;
}

function iso(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

/** Streams the list into `target`; returns the number of subscriptions written. */
export function exportList(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  format: ImportFormat,
  target: ExportTarget,
): number {
  const { where, params } = filterSql(appId, filter);
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
  const rows = db
    .prepare(
      `SELECT s.endpoint, s.p256dh, s.auth,
         (SELECT group_concat(t.name, ';') FROM subscription_tags st JOIN tags t ON t.id = st.tag_id
            WHERE st.subscription_id = s.id) AS tags,
         s.label, s.status, s.created_at, s.expiration_time, s.fields
       FROM subscriptions s WHERE ${where} ORDER BY s.id`,
    )
    .raw()
    .iterate(...params) as IterableIterator<ExportRow>;

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
  for (const [endpoint, p256dh, auth, tags, label, status, createdAt, expirationTime, fields] of rows) {
    if (format === 'csv') {
      let line = `${csvCell(endpoint)},${p256dh},${auth},${csvCell(tags ?? '')},${csvCell(label ?? '')},${status},${iso(createdAt)},${iso(expirationTime)}`;
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
        tags: tags ? tags.split(';') : [],
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
  if (format === 'json') emit(`${count > 0 ? '\n' : ''}]\n`);
  if (buffer !== '') target.write(buffer);
  return count;
}

export function exportToFile(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  format: ImportFormat,
  file: string,
): number {
  const partial = `${file}.partial`;
  const fd = fs.openSync(partial, 'w');
  let count: number;
  try {
    count = exportList(db, appId, filter, format, { write: (text) => fs.writeSync(fd, text) });
  } finally {
    fs.closeSync(fd);
  }
  // Only a complete export takes the file's name.
  fs.renameSync(partial, file);
  return count;
}

export function exportToText(
  db: Db,
  appId: number,
  filter: SubscriptionFilter,
  format: ImportFormat,
): { count: number; text: string } {
  const parts: string[] = [];
  const count = exportList(db, appId, filter, format, { write: (text) => parts.push(text) });
  return { count, text: parts.join('') };
}
