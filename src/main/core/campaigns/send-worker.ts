// The sending thread of a campaign: its own database connection (WAL), its connection pools, and the
// encryption threads it feeds. Sending costs CPU for every message: off the main thread, it never stalls
// IPC or the window.
import { parentPort, workerData } from 'node:worker_threads';
import type { SendOptions } from '../../../shared/campaigns.ts';
import type { MessageSpec } from '../../../shared/compose.ts';
import { openDatabase } from '../db/database.ts';
import { encryptionPool, inlineEncryptor } from '../push/encryptor.ts';
import { createTransport } from '../push/transport.ts';
import type { OriginFlow } from './flow-control.ts';
import { startEngine, type EngineInput, type RunCounters, type RunResult, type StopKind } from './engine.ts';
import { refreshSummary } from './journal-summary.ts';

export interface SendWorkerData {
  dbPath: string;
  campaignId: number;
  subject: string;
  keys: Array<{ keyId: number; publicKey: string; privateKey: Uint8Array }>;
  currentKeyId: number | null;
  message: MessageSpec;
  options: SendOptions;
  variants?: EngineInput['variants'];
  /** Encryption threads beside this one; 0 encrypts here. */
  encryptionThreads: number;
  ca?: string[];
  proxy?: string;
  release?: EngineInput['release'];
}

export type SendWorkerMessage =
  | { type: 'progress'; counters: RunCounters; origins: OriginFlow[] }
  | { type: 'done'; result: RunResult }
  | { type: 'error'; message: string };

export type SendWorkerCommand = { type: 'stop'; kind: StopKind };

const data = workerData as SendWorkerData;
const port = parentPort!;
const db = openDatabase(data.dbPath, { mustExist: true });
// A bulk action over a million subscriptions (the query thread, another process) may hold the write lock
// for seconds: the sender waits for it rather than stop the campaign on SQLITE_BUSY after the default 5 s.
db.pragma('busy_timeout = 60000');
const transport = createTransport({
  // The pool opens connections only as the adaptive limit needs them, up to the per-origin cap.
  connectionsPerOrigin: Math.min(data.options.perOriginConcurrency, data.options.concurrency),
  timeoutMs: data.options.timeoutMs,
  ca: data.ca,
  proxy: data.proxy,
});
const encryptor =
  data.encryptionThreads > 0
    ? encryptionPool(data.encryptionThreads, { lowPriority: false })
    : inlineEncryptor();
const engine = startEngine({
  db,
  campaignId: data.campaignId,
  subject: data.subject,
  keys: data.keys.map((key) => ({ ...key, privateKey: Buffer.from(key.privateKey) })),
  currentKeyId: data.currentKeyId,
  message: data.message,
  options: data.options,
  variants: data.variants,
  release: data.release,
  transport,
  encryptor,
  onProgress: (counters, origins) =>
    port.postMessage({ type: 'progress', counters, origins } satisfies SendWorkerMessage),
});
port.on('message', (command: SendWorkerCommand) => {
  if (command.type === 'stop') engine.stop(command.kind);
});
engine.done.then(
  async (result) => {
    await transport.close().catch(() => undefined);
    await encryptor.close();
    // The journal has stopped changing: sum it up here, once (most of a second per million deliveries),
    // rather than on the main process, which then reads the stored summary (journal-summary.ts).
    refreshSummary(db, data.campaignId);
    db.close();
    port.postMessage({ type: 'done', result } satisfies SendWorkerMessage);
  },
  (error: unknown) => {
    port.postMessage({ type: 'error', message: (error as Error).message } satisfies SendWorkerMessage);
  },
);
