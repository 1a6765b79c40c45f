// The export thread: streams a list to its file on its own database connection, so that writing a million
// rows (seconds) holds up neither the main process nor the query thread's reads.
import { parentPort, workerData } from 'node:worker_threads';
import type { ImportFormat, SubscriptionFilter } from '../../../../shared/subscriptions.ts';
import { PushdeckError } from '../../../../shared/errors.ts';
import { openDatabase, THREAD_CACHE_KIB } from '../../db/database.ts';
import { exportToFile, type ExportOutcome } from './list.ts';

export interface ExportWorkerData {
  dbPath: string;
  appId: number;
  filter: SubscriptionFilter;
  format: ImportFormat;
  file: string;
  /** One Int32: set to 1 to stop. Shared memory, since the export loop never yields to read a message. */
  cancel: SharedArrayBuffer;
}

export type ExportWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; outcome: ExportOutcome }
  | { type: 'error'; code: string | null; message: string };

/** At most ten reports a second. */
const PROGRESS_INTERVAL_MS = 100;

// At the main process's own priority: one thread leaves the other core to the main loop, and an export at
// nice 10 on a busy machine took 16-18 s for a million rows instead of 4-6.
const data = workerData as ExportWorkerData;
const port = parentPort!;
const cancel = new Int32Array(data.cancel);
const db = openDatabase(data.dbPath, { mustExist: true, cacheKib: THREAD_CACHE_KIB });
let lastReport = 0;
try {
  const outcome = exportToFile(db, data.appId, data.filter, data.format, data.file, {
    cancelled: () => Atomics.load(cancel, 0) === 1,
    onProgress: (done, total) => {
      const now = Date.now();
      if (now - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      port.postMessage({ type: 'progress', done, total } satisfies ExportWorkerMessage);
    },
  });
  port.postMessage({ type: 'done', outcome } satisfies ExportWorkerMessage);
} catch (error) {
  const failure = error as NodeJS.ErrnoException;
  port.postMessage(
    error instanceof PushdeckError
      ? { type: 'error', code: error.code, message: error.message }
      : failure.syscall // the file system's (ENOSPC, EACCES, ENOENT…): say which file
        ? {
            type: 'error',
            code: 'EXPORT_WRITE_FAILED',
            message: `Cannot write ${data.file}: ${failure.message}`,
          }
        : { type: 'error', code: null, message: failure.message },
  );
} finally {
  db.close();
}
