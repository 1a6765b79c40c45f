// The reading thread of a large import: reads and checks the file (readChecked) and posts its events to
// the import's writing thread, at most a few chunks ahead of it, so memory stays bounded however fast the
// file is read.
import { parentPort, workerData } from 'node:worker_threads';
import { isPushdeckError } from '../../../../shared/errors.ts';
import { readChecked, type ReadEvent } from './read.ts';
import type { ImportJob } from './run.ts';

export interface ReadWorkerData {
  job: Pick<ImportJob, 'source' | 'format' | 'mapping'>;
  now: number;
}

export type ReadWorkerMessage =
  { type: 'event'; event: ReadEvent } | { type: 'error'; code: string; message: string };

/** Chunks posted and not yet taken by the writer. */
const AHEAD = 2;

const data = workerData as ReadWorkerData;
const port = parentPort!;
let unacknowledged = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  unacknowledged--;
  wake?.();
  wake = null;
});

try {
  for await (const event of readChecked(data.job, data.now)) {
    port.postMessage({ type: 'event', event } satisfies ReadWorkerMessage);
    if (event.type !== 'chunk') continue;
    unacknowledged++;
    while (unacknowledged >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  }
} catch (error) {
  port.postMessage(
    (isPushdeckError(error)
      ? { type: 'error', code: error.code, message: error.message }
      : {
          type: 'error',
          code: 'IMPORT_FAILED',
          message: `The import stopped: ${(error as Error).message}`,
        }) satisfies ReadWorkerMessage,
  );
}
port.close();
