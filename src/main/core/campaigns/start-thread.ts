// Writes a campaign's start on a thread of its own (start-worker.ts) and waits for it: the errors of the
// start (AUDIENCE_EMPTY, LOCAL_DATE_PAST, CAMPAIGN_RUNNING…) come back as the same PushdeckError.
import { Worker } from 'node:worker_threads';
import { PushdeckError } from '../../../shared/errors.ts';
import { currentActor } from '../dispatch/actor.ts';
import { workerUrl } from '../workers.ts';
import type { StartRow } from './start-journal.ts';
import type { StartWorkerData, StartWorkerMessage } from './start-worker.ts';

export function writeStartOnThread(
  dbPath: string,
  row: StartRow,
  scheduled: boolean,
  at: number,
): Promise<number> {
  const worker = new Worker(workerUrl(import.meta.url, 'start-worker'), {
    workerData: { dbPath, row, scheduled, at, actor: currentActor() } satisfies StartWorkerData,
  });
  return new Promise<number>((resolve, reject) => {
    worker.on('message', (msg: StartWorkerMessage) => {
      if (msg.type === 'done') resolve(msg.recipients);
      else reject(msg.code ? new PushdeckError(msg.code, msg.message) : new Error(msg.message));
    });
    worker.on('error', reject);
    // After an answer this changes nothing; without one, the thread died mid-transaction (nothing written).
    worker.on('exit', (code) => reject(new Error(`The start thread stopped (exit code ${code}).`)));
  });
}
