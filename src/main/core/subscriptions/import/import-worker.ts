// The import's worker thread: its own database connection, so that parsing and checking a million rows
// never stalls the window or IPC. Started by service.ts; cancelled through a shared flag, which it
// reads between batches even while it never yields to its message loop.
import fs from 'node:fs';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { isPushdeckError, PushdeckError } from '../../../../shared/errors.ts';
import { openDatabase } from '../../db/database.ts';
import { workerUrl } from '../../workers.ts';
import type { ReadEvent } from './read.ts';
import type { ReadWorkerData, ReadWorkerMessage } from './import-read-worker.ts';
import { runImport, writeChecked, type ImportHooks, type ImportJob } from './run.ts';

export interface ImportWorkerData {
  dbPath: string;
  job: ImportJob;
  cancelFlag: SharedArrayBuffer;
  /** Files from this size on are read and checked on a thread of their own (default 8 MB). */
  readThreadFromBytes?: number;
}

const READ_THREAD_FROM_BYTES = 8 * 1024 * 1024;

/** The size of a file to import; text from the window is never read twice, on two threads. */
function fileBytes(job: ImportJob): number {
  if ('text' in job.source) return -1;
  try {
    return fs.statSync(job.source.path).size;
  } catch {
    return 0;
  }
}

/** The read worker's events as an async iterable; the writer takes one, the reader may post another. */
function readOnAnotherThread(
  job: ImportJob,
  now: number,
): { events: AsyncIterable<ReadEvent>; stop: () => void } {
  const reader = new Worker(workerUrl(import.meta.url, 'import-read-worker'), {
    // Reading makes short-lived garbage only: a small young generation keeps the second heap small.
    resourceLimits: { maxYoungGenerationSizeMb: 16 },
    workerData: {
      job: { source: job.source, format: job.format, mapping: job.mapping },
      now,
    } satisfies ReadWorkerData,
  });
  const queue: ReadWorkerMessage[] = [];
  let wake: (() => void) | null = null;
  let exited = false;
  const push = (message: ReadWorkerMessage) => {
    queue.push(message);
    wake?.();
    wake = null;
  };
  reader.on('message', push);
  reader.on('error', (error) =>
    push({ type: 'error', code: 'IMPORT_FAILED', message: `The import stopped: ${error.message}` }),
  );
  reader.on('exit', () => {
    exited = true;
    wake?.();
    wake = null;
  });
  async function* events(): AsyncGenerator<ReadEvent> {
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (exited)
          throw new PushdeckError('IMPORT_FAILED', 'The import stopped: the file reader ended early.');
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.type === 'error') throw new PushdeckError(message.code, message.message);
      if (message.event.type === 'chunk') reader.postMessage('ack');
      yield message.event;
      if (message.event.type === 'end') return;
    }
  }
  return { events: events(), stop: () => void reader.terminate() };
}

export type ImportWorkerMessage =
  | { type: 'progress'; progress: Parameters<NonNullable<Parameters<typeof runImport>[2]['onProgress']>>[0] }
  | { type: 'done'; summary: Awaited<ReturnType<typeof runImport>> }
  | { type: 'error'; code: string; message: string };

const data = workerData as ImportWorkerData;
const flag = new Int32Array(data.cancelFlag);
const post = (message: ImportWorkerMessage) => parentPort!.postMessage(message);

const db = openDatabase(data.dbPath, { mustExist: true });
// Another writer's long transaction (a bulk action over a whole list, a sending thread's batch) is waited
// out rather than ending the import on SQLITE_BUSY after the default 5 s.
db.pragma('busy_timeout = 60000');
// A 16 MB page cache holds what a batch dirties; large imports defer the endpoint index, so they append.
db.pragma('cache_size = -16384');
try {
  const hooks: ImportHooks = {
    now: Date.now,
    onProgress: (progress) => post({ type: 'progress', progress }),
    isCancelled: () => Atomics.load(flag, 0) === 1,
  };
  let summary;
  if (fileBytes(data.job) >= (data.readThreadFromBytes ?? READ_THREAD_FROM_BYTES)) {
    const reader = readOnAnotherThread(data.job, hooks.now());
    try {
      summary = await writeChecked(db, data.job, hooks, reader.events);
    } finally {
      reader.stop();
    }
  } else {
    summary = await runImport(db, data.job, hooks);
  }
  post({ type: 'done', summary });
} catch (error) {
  post(
    isPushdeckError(error)
      ? { type: 'error', code: error.code, message: error.message }
      : { type: 'error', code: 'IMPORT_FAILED', message: `The import stopped: ${(error as Error).message}` },
  );
} finally {
  db.close();
}
