// Reads an import file and checks every row, as a stream of events: the format, then chunks of checked
// rows and rejects, then how the file ended. Runs on the import's thread, or on a thread of its own so
// that reading and checking (about a third of the work) overlaps the writing.
import { PushdeckError } from '../../../../shared/errors.ts';
import type {
  ColumnMapping,
  ImportFormat,
  RejectReason,
  TimeZoneNotice,
} from '../../../../shared/subscriptions.ts';
import { csvRecords } from './csv-records.ts';
import { resolveColumns } from './columns.ts';
import { checkRow, rawFromCells, rawFromJson, type RawSubscription, type ValidSubscription } from './row.ts';
import type { ImportJob } from './run.ts';
import { detectFormat, openSource, type OpenedSource } from './source.ts';
import { jsonArrayRecords, ndjsonRecords } from './json-records.ts';

/** Rows per chunk: also how often progress is reported and a cancel is noticed. */
export const CHUNK_ROWS = 5000;

export interface RowReject {
  row: number;
  reason: RejectReason;
  endpoint?: string;
}

export interface ZoneNotice {
  row: number;
  value: string;
  reason: TimeZoneNotice;
}

export type ReadEvent =
  | { type: 'start'; format: ImportFormat; totalBytes: number }
  | {
      type: 'chunk';
      rows: ValidSubscription[];
      rejects: RowReject[];
      /** Rows imported without the zone they gave. */
      zoneNotices: ZoneNotice[];
      read: number;
      bytes: number;
    }
  | { type: 'end'; notice: string | null };

type Item =
  | { row: number; raw: RawSubscription }
  | { row: number; reject: RejectReason }
  | { row: number; notice: string };

async function* csvItems(source: OpenedSource, mapping: ColumnMapping | undefined): AsyncGenerator<Item> {
  const firstLineEnd = source.head.indexOf('\n');
  if (firstLineEnd === -1 && source.totalBytes > source.head.length) {
    throw new PushdeckError(
      'IMPORT_NOT_CSV',
      `${source.fileName} does not start with a CSV header row (its first line is longer than 64 KB). Import a JSON array, NDJSON, or CSV with a header row such as endpoint,p256dh,auth.`,
    );
  }
  let header: string[] | null = null;
  let targets: ReturnType<typeof resolveColumns>['targets'] = [];
  for await (const record of csvRecords(source.chunks())) {
    if (header === null) {
      if ('tooLong' in record)
        throw new PushdeckError('IMPORT_NOT_CSV', `${source.fileName} has no readable CSV header row.`);
      header = record.cells.map((cell) => cell.trim());
      const resolved = resolveColumns(header, mapping);
      if (resolved.missing.length > 0) {
        throw new PushdeckError(
          'IMPORT_COLUMNS_MISSING',
          `${source.fileName} has no ${resolved.missing.join(', ')} column (its columns: ${header.slice(0, 12).join(', ') || 'none'}). Name the columns endpoint, p256dh and auth, or map them when importing.`,
        );
      }
      targets = resolved.targets;
      continue;
    }
    if ('tooLong' in record) yield { row: record.row, reject: 'ROW_TOO_LONG' };
    else yield { row: record.row, raw: rawFromCells(record.cells, header, targets) };
  }
  if (header === null) throw new PushdeckError('IMPORT_EMPTY', `${source.fileName} has nothing to import.`);
}

async function* jsonItems(
  records: AsyncIterable<{ row: number } & Record<string, unknown>>,
): AsyncGenerator<Item> {
  for await (const record of records) {
    if ('value' in record) {
      const raw = rawFromJson(record.value);
      yield raw ? { row: record.row, raw } : { row: record.row, reject: 'ROW_MALFORMED' };
    } else yield record as Item;
  }
}

/** The file's rows, checked, in chunks. Errors that make the whole file unreadable are thrown. */
export async function* readChecked(
  job: Pick<ImportJob, 'source' | 'format' | 'mapping'>,
  now: number,
): AsyncGenerator<ReadEvent> {
  const source = openSource(job.source);
  const format = job.format ?? detectFormat(source.head, source.fileName);
  yield { type: 'start', format, totalBytes: source.totalBytes };
  const items =
    format === 'csv'
      ? csvItems(source, job.mapping)
      : jsonItems(format === 'json' ? jsonArrayRecords(source.chunks()) : ndjsonRecords(source.chunks()));
  let rows: ValidSubscription[] = [];
  let rejects: RowReject[] = [];
  let zoneNotices: ZoneNotice[] = [];
  let read = 0;
  let notice: string | null = null;
  for await (const item of items) {
    if ('notice' in item) {
      notice = item.notice;
      break;
    }
    read++;
    if ('reject' in item) {
      rejects.push({ row: item.row, reason: item.reject });
    } else {
      const checked = checkRow(item.raw, now);
      if (checked.ok) {
        rows.push(checked.value);
        const zone = checked.value.timeZoneNotice;
        if (zone) zoneNotices.push({ row: item.row, ...zone });
      } else rejects.push({ row: item.row, reason: checked.reason, endpoint: item.raw.endpoint });
    }
    if (read === CHUNK_ROWS) {
      yield { type: 'chunk', rows, rejects, zoneNotices, read, bytes: source.bytesRead() };
      rows = [];
      rejects = [];
      zoneNotices = [];
      read = 0;
    }
  }
  yield { type: 'chunk', rows, rejects, zoneNotices, read, bytes: source.bytesRead() };
  yield { type: 'end', notice };
}
