// The dry-run thread: reads the audience on its own database connection and feeds the encryption threads,
// so that checking a million recipients (most of a minute of ECDH) never holds up the main process.
import { parentPort, workerData } from 'node:worker_threads';
import type { DryRunReport } from '../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../shared/compose.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import { openDatabase, THREAD_CACHE_KIB } from '../db/database.ts';
import { encryptionPool, inlineEncryptor } from '../push/encryptor.ts';
import { dryRun, type DryRunEncrypt, type DryRunStep } from './dry-run.ts';

// At the main process's priority: this one thread reads and checks (a few µs per recipient) and leaves the
// other core to the main loop; at nice 10 a busy machine starved it (a 1M dry run took 265-647 s). The
// encryption threads it starts, where the minutes of ECDH are, stay at nice 10 (encrypt-worker.ts).

export interface DryRunWorkerData {
  dbPath: string;
  appId: number;
  message: MessageSpec;
  audience: AudienceFilter;
  encrypt: DryRunEncrypt;
  /** Encryption threads beside this one for a large audience; 0 encrypts here. */
  encryptionThreads: number;
}

export type DryRunWorkerMessage =
  | { type: 'progress'; progress: DryRunStep }
  | { type: 'done'; report: DryRunReport }
  | { type: 'error'; code: string | null; message: string };

export type DryRunWorkerCommand = { type: 'cancel' };

/** At most ten reports a second: the window redraws a bar, not a counter per chunk. */
const PROGRESS_INTERVAL_MS = 100;

const data = workerData as DryRunWorkerData;
const port = parentPort!;
let cancelled = false;
port.on('message', (command: DryRunWorkerCommand) => {
  if (command.type === 'cancel') cancelled = true;
});

const db = openDatabase(data.dbPath, { mustExist: true, cacheKib: THREAD_CACHE_KIB });
// A few messages are encrypted here: starting threads would take longer than the work (a sample of
// 20,000 recipients is 200 messages, about 60 ms).
const FEW_MESSAGES = 2_000;
let lastReport = 0;
dryRun(db, data.appId, data.message, data.audience, {
  encryptorFor: (messages) =>
    messages >= FEW_MESSAGES && data.encryptionThreads > 0
      ? encryptionPool(data.encryptionThreads)
      : inlineEncryptor(),
  cancelled: () => cancelled,
  encrypt: data.encrypt,
  onProgress: (progress) => {
    const now = Date.now();
    if (now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    port.postMessage({ type: 'progress', progress } satisfies DryRunWorkerMessage);
  },
})
  .then(
    (report) => port.postMessage({ type: 'done', report } satisfies DryRunWorkerMessage),
    (error: unknown) =>
      port.postMessage({
        type: 'error',
        code: isPushdeckError(error) ? error.code : null,
        message: (error as Error).message,
      } satisfies DryRunWorkerMessage),
  )
  .finally(() => db.close());
