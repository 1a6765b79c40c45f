// One import from start to end, on whichever thread runs it: read the file as a stream, check every row,
// write in batched transactions, report progress, stop between batches when cancelled. Every batch is
// its own transaction, so a cancel or a crash leaves whole rows only.
import fs from 'node:fs';
import { PushdeckError } from '../../../shared/errors.ts';
import type {
  ColumnMapping,
  ImportFormat,
  ImportReject,
  ImportSource,
  ImportSummary,
  RejectReason,
} from '../../../shared/subscriptions.ts';
import type { Db } from '../db/database.ts';
import { csvCell, csvRecords } from './csv-records.ts';
import { resolveColumns } from './import-columns.ts';
import {
  checkRow,
  rawFromCells,
  rawFromJson,
  type RawSubscription,
  type ValidSubscription,
} from './import-row.ts';
import { detectFormat, openSource, type OpenedSource } from './import-source.ts';
import { importWriter } from './import-writer.ts';
import { jsonArrayRecords, ndjsonRecords } from './json-records.ts';

// One transaction per 25,000 rows: each commit writes every index page it dirtied to the WAL, so small
// batches multiply the writing; larger ones hold more rows in memory and make cancel slower to answer.
export const BATCH_SIZE = 25_000;
const PROGRESS_EVERY = 5000;
// From ~100,000 rows on, building the endpoint index once at the end beats keeping it up to date.
const DEFER_INDEX_BYTES = 24 * 1024 * 1024;
const MAX_LISTED_REJECTS = 10_000;

export interface ImportJob {
  appId: number;
  keyId: number | null;
  source: ImportSource;
  format?: ImportFormat;
  tags?: string[];
  mapping?: ColumnMapping;
  rejectsPath?: string;
}

export interface ImportHooks {
  now: () => number;
  onProgress?: (progress: {
    rows: number;
    bytes: number;
    totalBytes: number;
    inserted: number;
    updated: number;
    duplicates: number;
    rejected: number;
  }) => void;
  isCancelled?: () => boolean;
  /** Rows per transaction (tests use small batches). */
  batchSize?: number;
  /** From this file size on, the endpoint index is built at the end (tests use a small size). */
  deferIndexFromBytes?: number;
}

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

export async function runImport(db: Db, job: ImportJob, hooks: ImportHooks): Promise<ImportSummary> {
  const started = hooks.now();
  const source = openSource(job.source);
  const format = job.format ?? detectFormat(source.head, source.fileName);
  const items =
    format === 'csv'
      ? csvItems(source, job.mapping)
      : jsonItems(format === 'json' ? jsonArrayRecords(source.chunks()) : ndjsonRecords(source.chunks()));

  const rejects: ImportReject[] = [];
  const rejectsByReason: Partial<Record<RejectReason, number>> = {};
  let rejected = 0;
  let rows = 0;
  let notice: string | null = null;
  let cancelled = false;
  const rejectsFile = job.rejectsPath ? fs.openSync(job.rejectsPath, 'w') : null;
  if (rejectsFile !== null) fs.writeSync(rejectsFile, 'row,reason,endpoint\n');
  let rejectLines: string[] = [];

  const reject = (row: number, reason: RejectReason, endpoint: string | undefined) => {
    rejected++;
    rejectsByReason[reason] = (rejectsByReason[reason] ?? 0) + 1;
    if (rejects.length < MAX_LISTED_REJECTS) rejects.push({ row, reason });
    if (rejectsFile !== null) rejectLines.push(`${row},${reason},${csvCell(endpoint ?? '')}\n`);
  };
  const report = () =>
    hooks.onProgress?.({
      rows,
      bytes: source.bytesRead(),
      totalBytes: source.totalBytes,
      ...writer.counts,
      rejected,
    });

  const batchSize = hooks.batchSize ?? BATCH_SIZE;
  let batch: ValidSubscription[] = [];
  const flush = () => {
    if (batch.length > 0) writer.write(batch, hooks.now());
    batch = [];
    if (rejectsFile !== null && rejectLines.length > 0) {
      fs.writeSync(rejectsFile, rejectLines.join(''));
      rejectLines = [];
    }
    report();
  };

  const writer = importWriter(db, job.appId, job.keyId, job.tags ?? [], {
    deferEndpointIndex: source.totalBytes >= (hooks.deferIndexFromBytes ?? DEFER_INDEX_BYTES),
  });
  try {
    const now = hooks.now();
    for await (const item of items) {
      if ('notice' in item) {
        notice = item.notice;
        break;
      }
      rows++;
      if ('reject' in item) {
        reject(item.row, item.reject, undefined);
      } else {
        const checked = checkRow(item.raw, now);
        if (checked.ok) batch.push(checked.value);
        else reject(item.row, checked.reason, item.raw.endpoint);
      }
      const full = batch.length >= batchSize;
      if (full) flush();
      else if (rows % PROGRESS_EVERY === 0) report();
      if ((full || rows % PROGRESS_EVERY === 0) && hooks.isCancelled?.()) {
        cancelled = true;
        break;
      }
    }
    flush();
  } finally {
    writer.finish();
    if (rejectsFile !== null) fs.closeSync(rejectsFile);
  }
  return {
    format,
    rows,
    ...writer.counts,
    rejected,
    rejects,
    rejectsByReason,
    cancelled,
    notice,
    durationMs: hooks.now() - started,
  };
}
