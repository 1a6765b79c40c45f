// One import from start to end, on whichever thread runs it: read the file as a stream, check every row,
// write in batched transactions, report progress, stop between batches when cancelled. Every batch is
// its own transaction, so a cancel or a crash leaves whole rows only.
import fs from 'node:fs';
import type {
  ColumnMapping,
  ImportFormat,
  ImportReject,
  ImportSource,
  ImportSummary,
  ImportTimeZones,
  RejectReason,
} from '../../../../shared/subscriptions.ts';
import { PushdeckError } from '../../../../shared/errors.ts';
import type { Db } from '../../db/database.ts';
import { isDiskFull } from '../../db/disk-full.ts';
import { csvCell } from './csv-records.ts';
import { readChecked, type ReadEvent } from './read.ts';
import type { ValidSubscription } from './row.ts';
import { importWriter } from './writer.ts';

// One transaction per 10,000 rows: each commit writes every index page it dirtied to the WAL, so small
// batches multiply the writing; larger ones hold more rows in memory (the budget is ~400 MB in all).
export const BATCH_SIZE = 10_000;
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

/** Writes what `events` brings (from readChecked, on this thread or another) in batched transactions. */
export async function writeChecked(
  db: Db,
  job: ImportJob,
  hooks: ImportHooks,
  events: AsyncIterable<ReadEvent>,
): Promise<ImportSummary> {
  const started = hooks.now();
  const rejects: ImportReject[] = [];
  const rejectsByReason: Partial<Record<RejectReason, number>> = {};
  const timeZones: ImportTimeZones = { set: 0, notices: 0, byReason: {}, samples: [] };
  let rejected = 0;
  let rows = 0;
  let bytes = 0;
  let notice: string | null = null;
  let cancelled = false;
  const iterator = events[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done || first.value.type !== 'start') throw new Error('An import must start with its format.');
  const { format, totalBytes } = first.value;

  const rejectsFile = job.rejectsPath ? fs.openSync(job.rejectsPath, 'w', 0o600) : null;
  if (rejectsFile !== null) fs.writeSync(rejectsFile, 'row,reason,endpoint\n');
  const writer = importWriter(db, job.appId, job.keyId, job.tags ?? [], {
    deferEndpointIndex: totalBytes >= (hooks.deferIndexFromBytes ?? DEFER_INDEX_BYTES),
  });
  const report = () => hooks.onProgress?.({ rows, bytes, totalBytes, ...writer.counts, rejected });
  const batchSize = hooks.batchSize ?? BATCH_SIZE;
  let batch: ValidSubscription[] = [];
  // What the committed batches hold: a failed batch's transaction leaves nothing of it.
  let saved = { rows: 0, ...writer.counts };
  const flush = () => {
    if (batch.length > 0) writer.write(batch, hooks.now());
    batch = [];
    saved = { rows, ...writer.counts };
  };

  let failure: unknown;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const event = next.value;
      if (event.type === 'end') {
        notice = event.notice;
        break;
      }
      if (event.type !== 'chunk') continue;
      rows += event.read;
      bytes = event.bytes;
      for (const row of event.rows) {
        batch.push(row);
        if (row.timeZone !== null) timeZones.set++;
      }
      for (const notice of event.zoneNotices) {
        timeZones.notices++;
        timeZones.byReason[notice.reason] = (timeZones.byReason[notice.reason] ?? 0) + 1;
        if (timeZones.samples.length < 100) timeZones.samples.push(notice);
      }
      let lines = '';
      for (const { row, reason, endpoint } of event.rejects) {
        rejected++;
        rejectsByReason[reason] = (rejectsByReason[reason] ?? 0) + 1;
        if (rejects.length < MAX_LISTED_REJECTS) rejects.push({ row, reason });
        if (rejectsFile !== null) lines += `${row},${reason},${csvCell(endpoint ?? '')}\n`;
      }
      if (lines !== '') fs.writeSync(rejectsFile!, lines);
      if (batch.length >= batchSize) flush();
      report();
      if (hooks.isCancelled?.()) {
        cancelled = true;
        break;
      }
    }
    flush();
    report();
  } catch (error) {
    failure = error;
  }
  try {
    writer.finish();
    if (rejectsFile !== null) fs.closeSync(rejectsFile);
  } catch (error) {
    // After a failure the first error is the one to tell (finishing on a full disk fails again).
    failure ??= error;
  }
  if (failure !== undefined || cancelled || notice !== null) await iterator.return?.();
  if (failure !== undefined) throw stoppedBy(failure, saved);
  return {
    format,
    rows,
    ...writer.counts,
    rejected,
    rejects,
    rejectsByReason,
    timeZones,
    cancelled,
    notice,
    durationMs: hooks.now() - started,
  };
}

/** A full disk stops an import between batches: it says what was kept and that running it again goes on. */
function stoppedBy(
  error: unknown,
  saved: { rows: number; inserted: number; updated: number; duplicates: number },
): unknown {
  if (!isDiskFull(error)) return error;
  return new PushdeckError(
    'DISK_FULL',
    `The disk is full (${(error as Error).message}): the import stopped after row ${saved.rows}. ` +
      `${saved.inserted} new and ${saved.updated} updated subscriptions were saved up to there. Free some space and ` +
      'run the same import again: it finishes the list (the rows already saved are recognised by their endpoint, not added twice).',
  );
}

/** One import on this thread: read, check and write. */
export function runImport(db: Db, job: ImportJob, hooks: ImportHooks): Promise<ImportSummary> {
  return writeChecked(db, job, hooks, readChecked(job, hooks.now()));
}
