// The import's worker thread: its own database connection, so that parsing and checking a million rows
// never stalls the window or IPC. Started by import-service.ts; cancelled through a shared flag, which it
// reads between batches even while it never yields to its message loop.
import { parentPort, workerData } from 'node:worker_threads';
import { isPushdeckError } from '../../../shared/errors.ts';
import { openDatabase } from '../db/database.ts';
import { runImport, type ImportJob } from './import-run.ts';

export interface ImportWorkerData {
  dbPath: string;
  job: ImportJob;
  cancelFlag: SharedArrayBuffer;
}

export type ImportWorkerMessage =
  | { type: 'progress'; progress: Parameters<NonNullable<Parameters<typeof runImport>[2]['onProgress']>>[0] }
  | { type: 'done'; summary: Awaited<ReturnType<typeof runImport>> }
  | { type: 'error'; code: string; message: string };

const data = workerData as ImportWorkerData;
const flag = new Int32Array(data.cancelFlag);
const post = (message: ImportWorkerMessage) => parentPort!.postMessage(message);

const db = openDatabase(data.dbPath, { mustExist: true });
// A larger page cache keeps the endpoint-hash index's pages in memory through a million random inserts.
db.pragma('cache_size = -32768');
try {
  const summary = await runImport(db, data.job, {
    now: Date.now,
    onProgress: (progress) => post({ type: 'progress', progress }),
    isCancelled: () => Atomics.load(flag, 0) === 1,
  });
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
