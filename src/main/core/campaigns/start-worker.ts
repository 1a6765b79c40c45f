// The start thread of a campaign planned by zone: its own connection writes the plan and the journal
// (start-journal.ts, one transaction), seconds at a million recipients, while the main process answers.
import { parentPort, workerData } from 'node:worker_threads';
import type { Actor } from '../../../shared/audit.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import { openDatabase } from '../db/database.ts';
import { writeStart, type StartRow } from './start-journal.ts';

export interface StartWorkerData {
  dbPath: string;
  row: StartRow;
  scheduled: boolean;
  at: number;
  actor: Actor;
}

export type StartWorkerMessage =
  { type: 'done'; recipients: number } | { type: 'error'; code: string | null; message: string };

const data = workerData as StartWorkerData;
let message: StartWorkerMessage;
try {
  const db = openDatabase(data.dbPath, { mustExist: true });
  // As the sending thread: a bulk action elsewhere may hold the write lock for seconds.
  db.pragma('busy_timeout = 60000');
  try {
    message = { type: 'done', recipients: writeStart(db, data.row, data.scheduled, data.at, data.actor) };
  } finally {
    db.close();
  }
} catch (error) {
  message = {
    type: 'error',
    code: isPushdeckError(error) ? error.code : null,
    message: error instanceof Error ? error.message : String(error),
  };
}
parentPort!.postMessage(message);
